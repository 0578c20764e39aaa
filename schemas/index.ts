import type {SchemaTypeDefinition} from 'sanity'

import {careerArea} from './documents/careerArea'
import {careerRole} from './documents/careerRole'
import {feedbackSubmission} from './documents/feedbackSubmission'
import {framework} from './documents/framework'
import {organisation} from './documents/organisation'
import {page} from './documents/page'
import {programme} from './documents/programme'
import {qualification} from './documents/qualification'
import {registration} from './documents/registration'
import {specialism} from './documents/specialism'
import {theme} from './documents/theme'
import {trainingRoute} from './documents/trainingRoute'
import {accessibleImage} from './objects/accessibleImage'
import {accreditedCourse} from './objects/accreditedCourse'
import {callout} from './objects/callout'
import {downloadableFile} from './objects/downloadableFile'
import {expandable} from './objects/expandable'
import {feedbackMove} from './objects/feedbackMove'
import {frameworkLevel} from './objects/frameworkLevel'
import {internalNote} from './objects/internalNote'
import {link} from './objects/link'
import {portableText} from './objects/portableText'
import {programmePhase} from './objects/programmePhase'
import {seo} from './objects/seo'
import {settings} from './singletons/settings'

export {SETTINGS_ID} from './singletons/settings'

/** Types edited as exactly one document (structure and "new document" menus treat them apart). */
export const singletonTypes: ReadonlySet<string> = new Set([settings.name])

/** Every schema type, in order: singletons, documents, objects. */
export const schemaTypes: SchemaTypeDefinition[] = [
  settings,
  page,
  careerArea,
  theme,
  specialism,
  programme,
  trainingRoute,
  framework,
  careerRole,
  qualification,
  registration,
  organisation,
  feedbackSubmission,
  portableText,
  link,
  seo,
  callout,
  expandable,
  internalNote,
  feedbackMove,
  programmePhase,
  accreditedCourse,
  frameworkLevel,
  accessibleImage,
  downloadableFile,
]
