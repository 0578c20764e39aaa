/**
 * JSON-LD for search engines, typed with `schema-dts` (schema.org's own vocabulary as
 * TypeScript types), so a property schema.org does not have for a type fails `tsc`.
 */
import type {
  BreadcrumbList,
  EducationalOccupationalCredential,
  EducationalOccupationalProgram,
  Occupation,
  Organization,
  Thing,
  WebPage,
  WithContext,
} from 'schema-dts'

import {documentPath} from '../queries/paths'
import {careerLevels, optionTitle, qualificationKinds, studyModes} from '../schemas/options'
import type {Crumb} from './layout'
import {present, type Target} from './links'
import type {CareerRole, Programme, Qualification, TrainingRoute, Organisation} from './documents'

/** Turns a site path into an absolute URL on the canonical origin. */
export type Absolute = (path: string) => string

function organization(target: Target | null | undefined, url: Absolute): Organization | undefined {
  if (!target) return undefined
  const path = documentPath(target)
  return {
    '@type': 'Organization',
    name: target.title ?? undefined,
    ...(path ? {url: url(path)} : {}),
  }
}

function credential(target: Target, url: Absolute): EducationalOccupationalCredential {
  const path = documentPath(target)
  return {
    '@type': 'EducationalOccupationalCredential',
    name: target.title ?? undefined,
    ...(path ? {url: url(path)} : {}),
  }
}

/** Leaves out properties the editor left empty: schema.org has no use for `null` or `""`. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  ) as T
}

export function breadcrumbList(crumbs: Crumb[], self: string): WithContext<BreadcrumbList> {
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: crumbs.map((crumb, index) => ({
      '@type': 'ListItem',
      position: index + 1,
      name: crumb.title,
      item: crumb.href ? crumb.href : self,
    })),
  }
}

export function webPage(
  name: string,
  description: string | null | undefined,
  url: string,
): WithContext<WebPage> {
  return {
    '@context': 'https://schema.org',
    ...defined<WebPage>({'@type': 'WebPage', name, url, description: description ?? undefined}),
  }
}

export function programmeData(
  doc: Programme,
  url: Absolute,
): WithContext<EducationalOccupationalProgram> {
  return {
    '@context': 'https://schema.org',
    ...defined<EducationalOccupationalProgram>({
      '@type': 'EducationalOccupationalProgram',
      name: doc.title ?? undefined,
      alternateName: doc.acronym ?? undefined,
      description: doc.summary ?? undefined,
      url: url(documentPath(doc) ?? '/'),
      provider: organization(doc.nationalBody, url),
      occupationalCategory: optionTitle(careerLevels, doc.careerLevel),
    }),
  }
}

export function trainingRouteData(
  doc: TrainingRoute,
  url: Absolute,
): WithContext<EducationalOccupationalProgram> {
  return {
    '@context': 'https://schema.org',
    ...defined<EducationalOccupationalProgram>({
      '@type': 'EducationalOccupationalProgram',
      name: doc.title ?? undefined,
      description: doc.summary ?? undefined,
      url: url(documentPath(doc) ?? '/'),
      programPrerequisites: doc.entryRequirements ?? undefined,
      educationalProgramMode: optionTitle(studyModes, doc.mode),
      provider: present(doc.providers)
        .map((provider) => organization(provider, url))
        .filter((o): o is Organization => o !== undefined),
      educationalCredentialAwarded: present(doc.awards).map((award) => credential(award, url)),
    }),
  }
}

export function careerRoleData(doc: CareerRole, url: Absolute): WithContext<Occupation> {
  return {
    '@context': 'https://schema.org',
    ...defined<Occupation>({
      '@type': 'Occupation',
      name: doc.title ?? undefined,
      description: doc.training ?? undefined,
      url: url(documentPath(doc) ?? '/'),
      qualifications: present(doc.qualifications).map((q) => credential(q, url)),
      occupationalCategory: optionTitle(careerLevels, doc.careerLevel),
    }),
  }
}

export function qualificationData(
  doc: Qualification,
  url: Absolute,
): WithContext<EducationalOccupationalCredential> {
  return {
    '@context': 'https://schema.org',
    ...defined<EducationalOccupationalCredential>({
      '@type': 'EducationalOccupationalCredential',
      name: doc.title ?? undefined,
      description: doc.description ?? undefined,
      url: url(documentPath(doc) ?? '/'),
      credentialCategory: optionTitle(qualificationKinds, doc.kind),
      educationalLevel: doc.academicLevel ? `Level ${doc.academicLevel}` : undefined,
      recognizedBy: organization(doc.accreditedBy ?? doc.awardingBody, url),
    }),
  }
}

export function organisationData(doc: Organisation, url: Absolute): WithContext<Organization> {
  return {
    '@context': 'https://schema.org',
    ...defined<Exclude<Organization, string>>({
      '@type': 'Organization',
      name: doc.title ?? undefined,
      alternateName: doc.acronym ?? undefined,
      description: doc.description ?? undefined,
      url: url(documentPath(doc) ?? '/'),
      sameAs: doc.website ?? undefined,
    }),
  }
}

export type StructuredData = WithContext<Thing>
