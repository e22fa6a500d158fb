import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Files that look back at the whole run: they go last, after vitest's usual order. */
const lastFiles = ["secret-scan.test.ts"];

/** Vitest's order (slowest and failed first), except that the files of `lastFiles` run last. */
export class LastSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isLast = (file: TestSpecification) => lastFiles.some((name) => file.moduleId.endsWith(`/${name}`));
    return [...sorted.filter((file) => !isLast(file)), ...sorted.filter(isLast)];
  }
}
