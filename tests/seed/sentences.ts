/** Splitting the seed page into sentences, and finding text in a dataset, for the seed tests. */

/** Only whitespace and the curly apostrophe are normalised: everything else must match. */
export function normalise(text: string): string {
  return text
    .replace(/\u2019/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
}

/** Lines, then sentences within a line; list bullets are layout, not text. */
export function splitSentences(page: string): string[] {
  return page
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*•\s*/, '').trim())
    .filter((line) => line !== '')
    .flatMap((line) => line.split(/(?<=[.!?])\s+/))
    .map(normalise)
    .filter((sentence) => sentence !== '')
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

/**
 * Every string field in the dataset, plus the text of every Portable Text block (its spans
 * joined, since a link inside a sentence splits it into several spans).
 */
export function datasetTexts(documents: readonly unknown[]): string[] {
  const texts: string[] = []
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      texts.push(normalise(value))
      return
    }
    if (!isRecord(value)) return
    if (value['_type'] === 'block' && Array.isArray(value['children'])) {
      const spans = value['children'] as {text?: unknown}[]
      texts.push(normalise(spans.map((s) => (typeof s.text === 'string' ? s.text : '')).join('')))
    }
    for (const child of Object.values(value)) visit(child)
  }
  for (const document of documents) visit(document)
  return texts
}

export function missingSentences(sentences: readonly string[], texts: readonly string[]): string[] {
  return sentences.filter((sentence) => !texts.some((text) => text.includes(sentence)))
}
