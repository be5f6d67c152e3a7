/**
 * What the shadow could not build because an extension is not available there: the statements a
 * `shadow-missing-extension` finding counts, and what they define. SQL applied to the shadow
 * afterwards (a migration of the history, a pending one) that misses one of those objects, or a
 * type or function of the extension itself, fails for want of the extension, not for a fault of
 * its own: `check` and `lint --deep` report it as not provable there, not as an error.
 */
import type { SqlErrorFields } from '../runner/errors.js';
import { definitionsOf } from './definitions.js';
import { extensionProviding } from './extensions.js';
import { missingExtensionOf, missingObjectOf } from './root-cause.js';
import type { ShadowSourceFile } from './schema-files.js';
import type { ShadowFinding } from './types.js';

/** Whether a build's findings name an unavailable extension: only then is there anything for ExtensionGaps to find. */
export function namesMissingExtension(findings: readonly ShadowFinding[]): boolean {
  return findings.some((finding) => finding.rule === 'shadow-missing-extension');
}

export class ExtensionGaps {
  /** `lookup:name` of an object the shadow lacks -> the extension that kept it from being built. */
  private readonly lacking = new Map<string, string>();
  private readonly unavailable = new Set<string>();

  /** `files`: the sources the shadow was built from, parsed (needed only when `namesMissingExtension(findings)`). */
  constructor(findings: readonly ShadowFinding[], parsed: readonly ShadowSourceFile[]) {
    const missing = findings.filter((finding) => finding.rule === 'shadow-missing-extension');
    const statementAt = (where: { file: string; line: number }) =>
      parsed.find((file) => file.relPath === where.file)?.parsed.statements.find((statement) => statement.range.start.line === where.line);
    for (const finding of missing) {
      const create = statementAt(finding);
      const extension = create?.kind === 'CreateExtensionStmt' ? create.node.extname : undefined;
      if (!extension) continue;
      this.unavailable.add(extension);
      for (const where of finding.statements) {
        const statement = statementAt(where);
        for (const object of statement ? definitionsOf(statement) : []) {
          if (!object.lookup) continue;
          this.lacking.set(`${object.lookup}:${object.name}`, extension);
          // A table also defines its row type.
          if (object.lookup === 'relation') this.lacking.set(`type:${object.name}`, extension);
        }
      }
    }
  }

  /**
   * The unavailable extension a failure comes from: the one its statement could not create (what
   * needs it later is traced to it too: call in file order), or one whose absence kept the object
   * it misses from the shadow.
   */
  behind(failure: { message: string; sqlState?: string }): string | undefined {
    const error: SqlErrorFields = { message: failure.message, code: failure.sqlState };
    const created = missingExtensionOf(error);
    if (created) {
      this.unavailable.add(created);
      return created;
    }
    if (this.unavailable.size === 0) return undefined;
    const missing = missingObjectOf(error);
    if (!missing) return undefined;
    return this.lacking.get(`${missing.lookup}:${missing.name}`) ?? extensionProviding(missing.lookup, missing.name, missing.schema, this.unavailable);
  }
}
