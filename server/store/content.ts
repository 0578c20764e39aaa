/**
 * Document content that would break queries for everyone, refused at write.
 *
 * groq-js reads an attribute with `value.data.hasOwnProperty(name)`: an object in a document
 * with its own `hasOwnProperty` key (`{"hasOwnProperty": "x"}`) turns that call into "not a
 * function", and every query that reads attributes of that object, including any scan of the
 * dataset, fails with a 400 for every reader. Refusing the key at write keeps groq-js unpatched
 * and every stored document queryable; no schema field is named after an `Object.prototype`
 * method, so nothing an editor means to write is lost.
 */

/** Keys groq-js calls as methods on the objects it reads. */
const METHOD_KEYS: ReadonlySet<string> = new Set(['hasOwnProperty'])

/**
 * The path of the first key that groq-js would call as a method (`body[2].hasOwnProperty`), or
 * undefined when there is none. Walked with an explicit stack: documents are user data.
 */
export function methodKeyPath(doc: unknown): string | undefined {
  const stack: {value: unknown; path: string}[] = [{value: doc, path: ''}]
  while (stack.length > 0) {
    const {value, path} = stack.pop() as {value: unknown; path: string}
    if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push({value: item, path: `${path}[${index}]`}))
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path === '' ? key : `${path}.${key}`
        if (METHOD_KEYS.has(key)) return childPath
        stack.push({value: child, path: childPath})
      }
    }
  }
  return undefined
}
