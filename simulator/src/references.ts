/** Finds the issue references GitHub links in Markdown text (`#12`, `owner/repo#12`, issue URLs). */

/** One referenced issue; `closing` when a closing keyword ("fixes", "closes", "resolves"...) precedes it. */
export interface IssueReference {
  fullName: string;
  number: number;
  closing: boolean;
}

const SHORT_REF = /(?<![\w#&/])((?:[A-Za-z0-9][\w.-]*\/[\w.-]+)?)#(\d+)(?!\w)/g;
const URL_REF = /https?:\/\/[^\s/]+\/([\w.-]+\/[\w.-]+)\/(?:issues|pull)\/(\d+)(?![\w/])/g;
const CLOSING_KEYWORD_BEFORE = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?):?\s+$/i;

/**
 * The issues `text` refers to, once each (URLs first). `currentRepo` ("owner/name")
 * resolves bare `#N` references.
 */
export function findIssueReferences(text: string, currentRepo: string): IssueReference[] {
  const found = new Map<string, IssueReference>();
  const add = (fullName: string, numberText: string, index: number): void => {
    const number = Number(numberText);
    if (!Number.isSafeInteger(number) || number <= 0) return;
    const closing = CLOSING_KEYWORD_BEFORE.test(text.slice(Math.max(0, index - 12), index));
    const key = `${fullName.toLowerCase()}#${number}`;
    const existing = found.get(key);
    if (existing) existing.closing ||= closing;
    else found.set(key, { fullName, number, closing });
  };
  for (const match of text.matchAll(URL_REF)) add(match[1] ?? "", match[2] ?? "", match.index);
  for (const match of text.matchAll(SHORT_REF)) add(match[1] || currentRepo, match[2] ?? "", match.index);
  return [...found.values()];
}
