import {normalise} from '../seed/sentences'

/** A page's text as a reader gets it: tags dropped, entities decoded, whitespace folded. */
export function visibleText(html: string): string {
  const text = html
    .replace(/<(style|script)[\s\S]*?<\/\1>/g, ' ')
    // Inline elements sit inside a sentence; every other tag ends a run of text.
    .replace(/<\/?(?:a|strong|em|span)(?:\s[^>]*)?>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
  return normalise(text)
}

/** The sentences missing from `text`, or found out of order. */
export function sentencesMissingInOrder(sentences: readonly string[], text: string): string[] {
  const missing: string[] = []
  let from = 0
  for (const sentence of sentences) {
    const at = text.indexOf(normalise(sentence), from)
    if (at === -1) missing.push(sentence)
    else from = at + 1
  }
  return missing
}
