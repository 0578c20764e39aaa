/**
 * The site's one Portable Text renderer. Components live at module scope (never rebuilt per
 * render) and are typed from TypeGen's result for the page body, so a block type added to the
 * schema without a renderer here fails type-checking (see `BodyBlockRenderers`).
 */
import {PortableText, type PortableTextComponents} from '@portabletext/react'
import type {ReactNode} from 'react'

import {documentPath} from '../queries/paths'
import type {PageBySlugQueryResult} from '../sanity.types'
import {TextPath, useBlockAttribute, useBlockPath} from './editable'

type Body = NonNullable<NonNullable<PageBySlugQueryResult>['body']>
export type BodyBlock = Body[number]
type CustomBlock = Exclude<BodyBlock, {_type: 'block'}>
type TextBlock = Extract<BodyBlock, {_type: 'block'}>
type Link = NonNullable<TextBlock['markDefs']>[number]

/**
 * Where a link goes: an internal target to its page (`documentPath`, the site's one URL scheme),
 * an external link as it is. Undefined when the target cannot be read (deleted, unpublished or
 * not public): the link's text is then shown without a link, and the server logs the ids.
 */
export function linkHref(
  link: Pick<Link, 'linkType' | 'href' | 'internal'> | null | undefined,
): string | undefined {
  if (!link) return undefined
  if (link.linkType === 'external') return link.href ?? undefined
  return link.internal ? documentPath(link.internal) : undefined
}

/** A `link` object shown on its own (a "more information" field): its label, linked; else null. */
export function linkElement(
  link: (Pick<Link, 'linkType' | 'href' | 'internal'> & {label?: string | null}) | null | undefined,
): ReactNode {
  if (!link) return null
  const href = linkHref(link)
  const label = link.label ?? link.internal?.title ?? link.href ?? null
  if (!label) return null
  return href ? <a href={href}>{label}</a> : <>{label}</>
}

function LinkMark({value, children}: {value?: Link; children: ReactNode}) {
  const href = value ? linkHref(value) : undefined
  if (!href) return <>{children}</>
  const external = /^https?:/.test(href)
  return (
    <a href={href} {...(external ? {rel: 'noopener'} : {})}>
      {children}
    </a>
  )
}

function Callout({value}: {value: Extract<CustomBlock, {_type: 'callout'}>}) {
  return (
    <aside className={`callout callout-${value.tone ?? 'info'}`} {...useBlockAttribute(value._key)}>
      {value.title ? <p className="callout-title">{value.title}</p> : null}
      <BodyText value={value.body} path={useBlockPath(value._key, 'body')} />
    </aside>
  )
}

function Expandable({value}: {value: Extract<CustomBlock, {_type: 'expandable'}>}) {
  return (
    <details className="expandable" {...useBlockAttribute(value._key)}>
      <summary>{value.title}</summary>
      <BodyText value={value.body} path={useBlockPath(value._key, 'body')} />
    </details>
  )
}

/** Every custom block type TypeGen knows must have a renderer: a missing key is a type error. */
type BodyBlockRenderers = {
  [Type in CustomBlock['_type']]: (props: {value: Extract<CustomBlock, {_type: Type}>}) => ReactNode
}
const blockRenderers: BodyBlockRenderers = {callout: Callout, expandable: Expandable}

/** The block styles, list types and annotations TypeGen knows; each needs its own renderer. */
export type BlockStyle = NonNullable<TextBlock['style']>
export type ListType = NonNullable<TextBlock['listItem']>
export type AnnotationType = Link['_type']
/** A block's renderer: its text, and the block itself (whose `_key` names it in draft mode). */
type BlockRenderer = (props: {children?: ReactNode; value?: {_key?: string}}) => ReactNode
type ChildrenOnly = (props: {children?: ReactNode}) => ReactNode

function blockAs(Element: 'h2' | 'h3' | 'h4' | 'p'): BlockRenderer {
  return function Block({children, value}) {
    return <Element {...useBlockAttribute(value?._key)}>{children}</Element>
  }
}

/** Exact key sets (a mapped type over TypeGen's unions): a new style or list type fails tsc here. */
export const blockStyleRenderers: {[Style in BlockStyle]: BlockRenderer} = {
  h2: blockAs('h2'),
  h3: blockAs('h3'),
  h4: blockAs('h4'),
  normal: blockAs('p'),
}
/** A list item is a block of its own: in draft mode it names itself like a paragraph. */
const ListItem: BlockRenderer = ({children, value}) => (
  <li {...useBlockAttribute(value?._key)}>{children}</li>
)
export const listRenderers: {[List in ListType]: ChildrenOnly} = {
  bullet: ({children}) => <ul>{children}</ul>,
  number: ({children}) => <ol>{children}</ol>,
}
export const annotationRenderers: {[Mark in AnnotationType]: typeof LinkMark} = {link: LinkMark}
export {blockRenderers}

const components: PortableTextComponents = {
  // @portabletext/react types custom blocks loosely; `blockRenderers` above is the typed source.
  types: blockRenderers as unknown as PortableTextComponents['types'],
  // Same for marks: its props carry `value?: any`, ours carry TypeGen's link.
  marks: annotationRenderers as unknown as PortableTextComponents['marks'],
  block: blockStyleRenderers,
  list: listRenderers,
  listItem: ListItem,
}

/** Page bodies and the rich text nested in callouts and expandable sections alike. */
type RichText = readonly {_type: string; _key: string}[]

/**
 * `path`: the field the text is stored in (`body`), so that in draft mode each block names
 * itself as `body[_key=="…"]` for the Studio's overlays; without it blocks carry no attribute.
 */
export function BodyText({value, path}: {value: RichText | null | undefined; path?: string}) {
  if (!value) return null
  return (
    <TextPath path={path}>
      <PortableText value={[...value]} components={components} />
    </TextPath>
  )
}
