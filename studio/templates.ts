import type {Template} from 'sanity'

import {singletonTypes} from '../schemas'

/** New documents that start where the editor is: a page in a specialism, a programme at a level. */
export const initialValueTemplates: Template[] = [
  {
    id: 'page-in-specialism',
    title: 'Page in specialism',
    schemaType: 'page',
    parameters: [{name: 'specialismId', type: 'string'}],
    value: (params: {specialismId: string}) => ({
      specialism: {_type: 'reference', _ref: params.specialismId},
    }),
  },
  {
    id: 'programme-at-level',
    title: 'Programme at career level',
    schemaType: 'programme',
    parameters: [{name: 'careerLevel', type: 'string'}],
    value: (params: {careerLevel: string}) => ({careerLevel: params.careerLevel}),
  },
]

/** The schema's own templates minus the singletons' (settings is never created), plus ours. */
export function resolveTemplates(prev: Template[]): Template[] {
  return [
    ...prev.filter((template) => !singletonTypes.has(template.schemaType)),
    ...initialValueTemplates,
  ]
}
