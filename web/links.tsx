/**
 * Links to other documents, the one way a view names a document it refers to: through
 * `documentPath` (`queries/paths.ts`), so lists, breadcrumbs, the sitemap and canonical URLs all
 * agree. A document the public cannot read arrives as `null` and is left out here; the server
 * has already logged it with its id (`web/references.ts`).
 */
import {documentPath, type Addressable} from '../queries/paths'
import {useEditAttribute} from './editable'
import type {Crumb} from './layout'

/** A referenced document as the queries give it (`targetFragment`). */
export interface Target extends Addressable {
  title: string | null
}

/** A place in the hierarchy with the place above it (`ancestryFragment`). */
export interface Ancestor extends Target {
  parent?: Ancestor | null
}

/**
 * The items of a list of references that could be read. TypeGen types a dereferenced array as
 * holding no nulls, but a reference to a deleted or unpublished document resolves to null.
 */
export function present<T>(items: readonly (T | null | undefined)[] | null | undefined): T[] {
  return (items ?? []).filter((item): item is T => item !== null && item !== undefined)
}

export function DocLink({target}: {target: Target}) {
  const href = documentPath(target)
  const title = target.title ?? 'Untitled'
  return href ? <a href={href}>{title}</a> : <>{title}</>
}

/** A list of links joined in a line for a fact ("HCPC, AHCS"); null when there are none. */
export function inline(items: readonly (Target | null | undefined)[] | null | undefined) {
  const targets = present(items)
  if (targets.length === 0) return null
  return (
    <>
      {targets.map((target, index) => (
        <span key={target._id}>
          {index > 0 ? ', ' : ''}
          <DocLink target={target} />
        </span>
      ))}
    </>
  )
}

/** A document the queries name by `name` (shared fragments) as a link target. */
export function named<T extends {_id: string; _type: string; name: string | null}>(
  items: readonly (T | null | undefined)[] | null | undefined,
): Target[] {
  return present(items).map((item) => ({
    _id: item._id,
    _type: item._type,
    slug: 'slug' in item && typeof item.slug === 'string' ? item.slug : null,
    title: item.name,
  }))
}

/** A titled list of links, or nothing at all when the list is empty. */
export function LinkList({
  id,
  title,
  items,
}: {
  id: string
  title: string
  items: readonly (Target | null | undefined)[] | null | undefined
}) {
  const targets = present(items)
  if (targets.length === 0) return null
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ul>
        {targets.map((target) => (
          <li key={target._id}>
            <DocLink target={target} />
          </li>
        ))}
      </ul>
    </section>
  )
}

/** Home, then the area, theme and specialism a document sits under, then the document. */
export function breadcrumbsFor(place: Ancestor | null | undefined, current: string): Crumb[] {
  const trail: Crumb[] = []
  // Walked with a loop, top last, then reversed: the hierarchy is at most three levels deep.
  for (let at = place; at; at = at.parent) {
    trail.push({title: at.title ?? 'Untitled', href: documentPath(at)})
  }
  return [{title: 'Home', href: '/'}, ...trail.reverse(), {title: current}]
}

/**
 * A definition list of facts, leaving out every fact the editor left empty. A row's `field`, when
 * given, is the field of the view's document it shows (named for the overlays in draft mode).
 */
export function Facts({rows}: {rows: [label: string, value: React.ReactNode, field?: string][]}) {
  const edit = useEditAttribute()
  const shown = rows.filter(([, value]) => value !== null && value !== undefined && value !== '')
  if (shown.length === 0) return null
  return (
    <dl className="facts-list">
      {shown.map(([label, value, field]) => (
        <div key={label}>
          <dt>{label}</dt>
          {/* The row is `display: contents` (no box of its own): the value carries the name. */}
          <dd {...(field ? edit(field) : {})}>{value}</dd>
        </div>
      ))}
    </dl>
  )
}
