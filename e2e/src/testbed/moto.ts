import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { freePort } from "./ports.ts";
import { startService, waitUntilReady, type Service } from "./service.ts";

/** A running moto server (S3, IAM and STS on one port) that enforces authentication. */
export interface Moto {
  readonly endpoint: string;
  readonly region: string;
  /** An administrator's key pair, created in moto's IAM; any other key is refused. */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly service: Service;
}

const adminPolicy = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
});

/**
 * Starts moto as the AWS (or Wasabi) stand-in. moto accepts any credentials until told
 * otherwise, so this creates an administrator while it is open, then switches on
 * authentication for every later call: wrong credentials really fail.
 */
export const startMoto = async (options: {
  readonly binary: string;
  readonly dir: string;
  readonly name: string;
  readonly region?: string;
}): Promise<Moto> => {
  const port = await freePort();
  const region = options.region ?? "us-east-1";
  const service = startService({
    name: options.name,
    command: options.binary,
    args: ["-H", "127.0.0.1", "-p", String(port)],
    logDir: options.dir,
    env: { MOTO_ALLOW_NONEXISTENT_REGION: "false", PYTHONUNBUFFERED: "1" },
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilReady(service, async () => (await fetch(`${endpoint}/moto-api/data.json`)).ok);

  const iam = new IAMClient({ endpoint, region, credentials: { accessKeyId: "bootstrap", secretAccessKey: "bootstrap" } });
  await iam.send(new CreateUserCommand({ UserName: "admin" }));
  await iam.send(new PutUserPolicyCommand({ UserName: "admin", PolicyName: "admin", PolicyDocument: adminPolicy }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "admin" }));
  iam.destroy();
  if (AccessKey?.AccessKeyId === undefined || AccessKey.SecretAccessKey === undefined) {
    throw new Error(`${options.name}: moto created no access key for the administrator`);
  }
  const enforce = await fetch(`${endpoint}/moto-api/reset-auth`, { method: "POST", body: "0" });
  if (!enforce.ok) throw new Error(`${options.name}: could not switch on authentication (${enforce.status})`);

  return { endpoint, region, accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey, service };
};
