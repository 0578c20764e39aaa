/**
 * Where a piece of the page comes from, for the Studio's Presentation tool: `data-sanity`
 * attributes (`createDataAttribute` from `@sanity/visual-editing`) naming the document and field
 * an element shows, so clicking it in the preview opens that field (or Portable Text block) in
 * the form. The lake has no content source maps, so nothing is stega-encoded: the views say
 * where their text comes from.
 *
 * Only in draft mode: outside it no element carries an attribute (the provider is absent), and
 * the public HTML stays as it was.
 */
import {createDataAttribute} from '@sanity/visual-editing/create-data-attribute'
import {createContext, type ReactNode, useContext} from 'react'

/** The document a view renders, and where the Studio that edits it lives. */
export interface EditTarget {
  id: string
  type: string
  /** The field the view's h1 shows (`title` on pages, `name` on the other types). */
  titleField: string
  /** The Studio's URL, for overlays opened outside the Presentation tool. */
  studioUrl: string
}

const EditContext = createContext<EditTarget | null>(null)
/** The path of the Portable Text field being rendered (`body`, or a callout's `body` inside it). */
const TextPathContext = createContext<string | null>(null)

export function EditableDocument({target, children}: {target: EditTarget; children: ReactNode}) {
  return <EditContext.Provider value={target}>{children}</EditContext.Provider>
}

/** Another document than the page's own (a programme shown on a page), by id and type. */
export interface OtherDocument {
  _id: string
  _type: string
}

type DataSanity = {'data-sanity'?: string}

function attribute(target: EditTarget, path: string, doc?: OtherDocument): DataSanity {
  return {
    'data-sanity': createDataAttribute({
      id: doc?._id ?? target.id,
      type: doc?._type ?? target.type,
      path,
      baseUrl: target.studioUrl,
    }).toString(),
  }
}

/** Names a field of the view's document (or of `doc`) for the overlays; nothing outside draft mode. */
export type EditAttribute = (path: string, doc?: OtherDocument) => DataSanity

const none: EditAttribute = () => ({})

/** The `data-sanity` attribute maker for the view's document; one call per component. */
export function useEditAttribute(): EditAttribute {
  const target = useContext(EditContext)
  return target ? (path, doc) => attribute(target, path, doc) : none
}

/** The attribute of the view's title (its h1). */
export function useTitleAttribute(): DataSanity {
  const target = useContext(EditContext)
  return target ? attribute(target, target.titleField) : {}
}

/** Portable Text rendered below this names its blocks as items of `path` (a full field path). */
export function TextPath({path, children}: {path: string | undefined; children: ReactNode}) {
  return <TextPathContext.Provider value={path ?? null}>{children}</TextPathContext.Provider>
}

/** A Portable Text block's attribute (`body[_key=="…"]`), or none outside draft mode. */
export function useBlockAttribute(key: string | undefined): DataSanity {
  const target = useContext(EditContext)
  const path = useContext(TextPathContext)
  return target && path && key ? attribute(target, `${path}[_key=="${key}"]`) : {}
}

/** The path of a block inside the Portable Text being rendered, for text nested in it. */
export function useBlockPath(key: string | undefined, field: string): string | undefined {
  const path = useContext(TextPathContext)
  return path && key ? `${path}[_key=="${key}"].${field}` : undefined
}
