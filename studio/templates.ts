import type {Template} from 'sanity'

import {singletonTypes} from '../schemas'

/**
 * New documents that start where the editor is: a page, route or role at its level of the
 * hierarchy, a specialism in its theme, a route through its programme, a programme at a level.
 */
export const initialValueTemplates: Template[] = [
  {
    id: 'page-in-specialism',
    title: 'Page in specialism',
    schemaType: 'page',
    parameters: [{name: 'specialismId', type: 'string'}],
    value: (params: {specialismId: string}) => ({
      partOf: {_type: 'reference', _ref: params.specialismId},
    }),
  },
  ...(['page', 'trainingRoute', 'careerRole'] as const).map((schemaType) => ({
    id: `${schemaType === 'trainingRoute' ? 'route' : schemaType === 'careerRole' ? 'role' : 'page'}-under`,
    title: 'Filed under the chosen area, theme or specialism',
    schemaType,
    parameters: [{name: 'placementId', type: 'string'}],
    value: (params: {placementId: string}) => ({
      partOf: {_type: 'reference', _ref: params.placementId},
    }),
  })),
  {
    id: 'specialism-under',
    title: 'Specialism in theme',
    schemaType: 'specialism',
    parameters: [{name: 'parentId', type: 'string'}],
    value: (params: {parentId: string}) => ({
      theme: {_type: 'reference', _ref: params.parentId},
    }),
  },
  {
    id: 'theme-in-area',
    title: 'Theme in career area',
    schemaType: 'theme',
    parameters: [{name: 'areaId', type: 'string'}],
    value: (params: {areaId: string}) => ({area: {_type: 'reference', _ref: params.areaId}}),
  },
  {
    id: 'route-of-programme',
    title: 'Route through a programme',
    schemaType: 'trainingRoute',
    parameters: [{name: 'programmeId', type: 'string'}],
    value: (params: {programmeId: string}) => ({
      programme: {_type: 'reference', _ref: params.programmeId},
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
