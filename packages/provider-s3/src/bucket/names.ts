/** Where a bucket's name comes from, said in every name error so the user knows what to change. */
const origin = "(the name comes from metadata.name or the crossplane.io/external-name annotation)";

/** The rules of S3 bucket names, each with what it says when broken; checked in this order. */
const rules: ReadonlyArray<{ readonly broken: (name: string) => boolean; readonly problem: string }> = [
  { broken: (name) => name.length < 3 || name.length > 63, problem: "it must be 3 to 63 characters long" },
  { broken: (name) => !/^[a-z0-9.-]+$/.test(name), problem: "it may only hold lowercase letters, digits, hyphens and dots" },
  { broken: (name) => !/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name), problem: "it must start and end with a letter or digit" },
  { broken: (name) => name.includes(".."), problem: "it must not hold two adjacent dots" },
  { broken: (name) => /^\d{1,3}(\.\d{1,3}){3}$/.test(name), problem: "it must not look like an IP address" },
  { broken: (name) => name.startsWith("xn--"), problem: "it must not start with xn--" },
  { broken: (name) => name.startsWith("sthree-"), problem: "it must not start with sthree-" },
  { broken: (name) => name.endsWith("-s3alias"), problem: "it must not end with -s3alias" },
  { broken: (name) => name.endsWith("--ol-s3"), problem: "it must not end with --ol-s3" },
];

/**
 * Checks a bucket name against S3's naming rules. Returns the problem as a deterministic
 * message, or undefined when the name is valid.
 */
export const bucketNameProblem = (name: string): string | undefined => {
  const broken = rules.find((rule) => rule.broken(name));
  return broken === undefined ? undefined : `bucket name "${name}" is invalid: ${broken.problem} ${origin}`;
};
