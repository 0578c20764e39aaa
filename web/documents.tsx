/**
 * A page for each public type other than `page` (that one is `PageView` in `web/views.tsx`):
 * everything an editor filled in, in plain language, with links to what it refers to and to
 * what refers to it. Each view starts with one h1; sections are h2.
 */
import type {
  CareerAreaQueryResult,
  CareerRoleQueryResult,
  FrameworkQueryResult,
  OrganisationQueryResult,
  ProgrammeQueryResult,
  QualificationQueryResult,
  RegistrationQueryResult,
  SpecialismQueryResult,
  ThemeQueryResult,
  TrainingRouteQueryResult,
} from '../sanity.types'
import {
  applicationRoutes,
  careerLevels,
  optionTitle,
  organisationKinds,
  qualificationKinds,
  registrationStatuses,
  studyLevels,
  studyModes,
} from '../schemas/options'
import {useTitleAttribute} from './editable'
import {FileDownload, LOGO_SIZES, ResponsiveImage} from './images'
import {DocLink, Facts, inline, LinkList, present, type Target} from './links'
import {linkElement} from './PortableText'

export type CareerArea = NonNullable<CareerAreaQueryResult>
export type Theme = NonNullable<ThemeQueryResult>
export type Specialism = NonNullable<SpecialismQueryResult>
export type Programme = NonNullable<ProgrammeQueryResult>
export type TrainingRoute = NonNullable<TrainingRouteQueryResult>
export type CareerRole = NonNullable<CareerRoleQueryResult>
export type Qualification = NonNullable<QualificationQueryResult>
export type Registration = NonNullable<RegistrationQueryResult>
export type Organisation = NonNullable<OrganisationQueryResult>
export type Framework = NonNullable<FrameworkQueryResult>

/** "What this is" above the h1, in readers' words. */
export const KIND_LABELS = {
  careerArea: 'Career area',
  theme: 'Division or theme',
  specialism: 'Specialism',
  programme: 'National training programme',
  trainingRoute: 'Training route',
  careerRole: 'Career role',
  qualification: 'Qualification',
  registration: 'Professional registration',
  organisation: 'Organisation',
  framework: 'Career framework',
} as const

function Heading({kind, title}: {kind: keyof typeof KIND_LABELS; title: string | null}) {
  return (
    <>
      <p className="kind">{KIND_LABELS[kind]}</p>
      <h1 {...useTitleAttribute()}>{title ?? 'Untitled'}</h1>
    </>
  )
}

/** How long a route takes: the editor's words, else the number of years they gave. */
export function durationText(route: {
  duration: string | null
  durationYears: number | null
}): string | null {
  if (route.duration) return route.duration
  if (!route.durationYears) return null
  return `${route.durationYears} year${route.durationYears === 1 ? '' : 's'}`
}

function one(target: Target | null | undefined) {
  return target ? <DocLink target={target} /> : null
}

function yesNo(value: boolean | null | undefined, yes: string, no: string | null) {
  return value === true ? yes : value === false ? no : null
}

/** What is filed under an area, theme or specialism, each kind in its own list. */
function FiledHere({doc}: {doc: CareerArea | Theme | Specialism}) {
  return (
    <>
      <LinkList id="pages" title="Pages" items={doc.pages} />
      <LinkList id="roles" title="Career roles" items={doc.roles} />
      <LinkList id="routes" title="Training routes" items={doc.routes} />
      <LinkList id="qualifications" title="Qualifications" items={doc.qualifications} />
      <LinkList id="frameworks" title="Career frameworks" items={doc.frameworks} />
    </>
  )
}

export function CareerAreaView({doc}: {doc: CareerArea}) {
  return (
    <article>
      <Heading kind="careerArea" title={doc.title} />
      {doc.description ? <p className="summary">{doc.description}</p> : null}
      <LinkList id="themes" title="Divisions and themes" items={doc.themes} />
      <LinkList id="specialisms" title="Specialisms" items={doc.specialisms} />
      <FiledHere doc={doc} />
    </article>
  )
}

export function ThemeView({doc}: {doc: Theme}) {
  return (
    <article>
      <Heading kind="theme" title={doc.title} />
      {doc.description ? <p className="summary">{doc.description}</p> : null}
      <LinkList id="specialisms" title="Specialisms" items={doc.specialisms} />
      <FiledHere doc={doc} />
      <div className="related">
        <LinkList id="siblings" title="Other divisions and themes" items={doc.siblings} />
      </div>
    </article>
  )
}

export function SpecialismView({doc}: {doc: Specialism}) {
  return (
    <article>
      <Heading kind="specialism" title={doc.title} />
      {doc.description ? <p className="summary">{doc.description}</p> : null}
      <FiledHere doc={doc} />
      <div className="related">
        <LinkList id="siblings" title="Other specialisms" items={doc.siblings} />
      </div>
    </article>
  )
}

export function ProgrammeView({doc}: {doc: Programme}) {
  const phases = doc.phases ?? []
  return (
    <article>
      <Heading kind="programme" title={doc.title} />
      {doc.summary ? <p className="summary">{doc.summary}</p> : null}
      <Facts
        rows={[
          ['Short name', doc.acronym, 'acronym'],
          ['Career level', optionTitle(careerLevels, doc.careerLevel), 'careerLevel'],
          ['Run nationally by', one(doc.nationalBody), 'nationalBody'],
          ['Salaried', yesNo(doc.salaried, 'Yes: a salaried training post', 'No'), 'salaried'],
          ['Employment', doc.employment, 'employment'],
          ['How to apply', optionTitle(applicationRoutes, doc.howToApply), 'howToApply'],
          ['Applying', doc.applicationNotes, 'applicationNotes'],
          ['More information', linkElement(doc.moreInformation), 'moreInformation'],
          [
            'Programme guide',
            doc.guide?.asset ? <FileDownload key="guide" file={doc.guide} /> : null,
            'guide',
          ],
        ]}
      />
      {phases.length > 0 ? (
        <section aria-labelledby="structure">
          <h2 id="structure">How the programme is structured</h2>
          <ol>
            {phases.map((phase) => (
              <li key={phase._key}>
                <strong>{phase.title}</strong>
                {phase.when ? ` (${phase.when})` : ''}
                {phase.description ? <p>{phase.description}</p> : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      <section aria-labelledby="routes">
        <h2 id="routes">Routes through this programme, by specialism</h2>
        {present(doc.routes).length > 0 ? (
          <ul>
            {present(doc.routes).map((route) => (
              <li key={route._id}>
                <DocLink target={route} />
                {route.partOf ? <> ({route.partOf.title})</> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p>No specialism has described its route through this programme yet.</p>
        )}
      </section>
      <LinkList id="roles" title="Roles you can enter through it" items={doc.roles} />
      <LinkList id="frameworks" title="Career frameworks it belongs to" items={doc.frameworks} />
    </article>
  )
}

export function TrainingRouteView({doc}: {doc: TrainingRoute}) {
  const programme = doc.programme
  const courses = doc.courses ?? []
  return (
    <article>
      <Heading kind="trainingRoute" title={doc.title} />
      {doc.summary ? <p className="summary">{doc.summary}</p> : null}
      <Facts
        rows={[
          ['Programme', one(programme)],
          ['Specialism', one(doc.partOf)],
          ['Career level', optionTitle(careerLevels, programme?.careerLevel)],
          ['Level of study', optionTitle(studyLevels, doc.studyLevel)],
          ['Duration', durationText(doc)],
          ['Mode of study', optionTitle(studyModes, doc.mode)],
          [
            'Workplace-based training',
            doc.workplaceTrainingWeeks ? `At least ${doc.workplaceTrainingWeeks} weeks` : null,
          ],
          ['Awards', inline(doc.awards)],
          ['Accredited by', inline(doc.accreditedBy)],
          ['Providers', inline(doc.providers)],
          ['Salaried', yesNo(programme?.salaried, 'Yes: a salaried training post', null)],
          ['Employment', programme?.employment],
          ['How to apply', optionTitle(applicationRoutes, programme?.howToApply)],
          ['Applying', programme?.applicationNotes],
        ]}
      />
      {doc.entryRequirements ? (
        <section aria-labelledby="entry">
          <h2 id="entry">Entry requirements</h2>
          <p>{doc.entryRequirements}</p>
        </section>
      ) : null}
      {courses.length > 0 ? (
        <section aria-labelledby="courses">
          <h2 id="courses">Accredited courses</h2>
          <ul>
            {courses.map((course) => (
              <li key={course._key}>
                {course.title ?? 'Course'}
                {course.provider ? (
                  <>
                    {', '}
                    <DocLink target={course.provider} />
                  </>
                ) : null}
                {course.accreditedBy ? (
                  <>
                    {' (accredited by '}
                    <DocLink target={course.accreditedBy} />)
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <LinkList id="leads-to" title="Roles it leads to" items={doc.leadsTo} />
      <div className="related">
        <LinkList id="siblings" title="Other routes in this specialism" items={doc.siblings} />
      </div>
    </article>
  )
}

export function CareerRoleView({doc}: {doc: CareerRole}) {
  return (
    <article>
      <Heading kind="careerRole" title={doc.title} />
      <ResponsiveImage image={doc.image} />
      <Facts
        rows={[
          ['Career level', optionTitle(careerLevels, doc.careerLevel)],
          ['Where it sits', one(doc.partOf)],
          ['Training programme', one(doc.entryProgramme)],
          ['Qualifications', inline(doc.qualifications)],
          ['Professional bodies', inline(doc.professionalBodies)],
        ]}
      />
      {doc.training ? (
        <section aria-labelledby="training">
          <h2 id="training">How you train</h2>
          <p>{doc.training}</p>
        </section>
      ) : null}
      <LinkList id="entry-routes" title="Training routes into this role" items={doc.entryRoutes} />
      <LinkList id="registrations" title="Registration" items={doc.registrations} />
      <LinkList id="pages" title="Pages about this role" items={doc.pages} />
    </article>
  )
}

export function QualificationView({doc}: {doc: Qualification}) {
  return (
    <article>
      <Heading kind="qualification" title={doc.title} />
      {doc.description ? <p className="summary">{doc.description}</p> : null}
      <Facts
        rows={[
          ['Kind', optionTitle(qualificationKinds, doc.kind)],
          ['Academic level', doc.academicLevel ? `Level ${doc.academicLevel}` : null],
          ['Awarded by', one(doc.awardingBody)],
          ['Accredited by', one(doc.accreditedBy)],
          ['Only in', one(doc.partOf)],
          [
            'Leads to registration',
            doc.registration ? (
              <DocLink key="registration" target={doc.registration} />
            ) : (
              yesNo(doc.leadsToRegistration, 'Yes', 'No')
            ),
          ],
        ]}
      />
      <LinkList id="routes" title="Training routes that award it" items={doc.routes} />
      <LinkList id="roles" title="Roles that ask for it" items={doc.roles} />
    </article>
  )
}

export function RegistrationView({doc}: {doc: Registration}) {
  return (
    <article>
      <Heading kind="registration" title={doc.title} />
      <Facts
        rows={[
          ['Kept by', one(doc.body)],
          ['Mandatory or voluntary', optionTitle(registrationStatuses, doc.status)],
          ['More information', linkElement(doc.moreInformation)],
        ]}
      />
      {doc.requirement ? (
        <section aria-labelledby="requirement">
          <h2 id="requirement">What it takes</h2>
          <p>{doc.requirement}</p>
        </section>
      ) : null}
      <LinkList id="roles" title="Roles that register" items={doc.roles} />
      <LinkList
        id="qualifying"
        title="Qualifications that lead to it"
        items={doc.qualifyingQualifications}
      />
    </article>
  )
}

export function OrganisationView({doc}: {doc: Organisation}) {
  return (
    <article>
      <Heading kind="organisation" title={doc.title} />
      <ResponsiveImage image={doc.logo} sizes={LOGO_SIZES} className="logo" />
      {doc.description ? <p className="summary">{doc.description}</p> : null}
      <Facts
        rows={[
          ['Short name', doc.acronym],
          ['Kind', optionTitle(organisationKinds, doc.kind)],
          [
            'Website',
            doc.website ? (
              <a key="website" href={doc.website} rel="noopener">
                {doc.website}
              </a>
            ) : null,
          ],
        ]}
      />
      <LinkList id="programmes" title="Programmes it runs" items={doc.programmes} />
      <LinkList id="registrations" title="Registers it keeps" items={doc.registrations} />
      <LinkList
        id="qualifications"
        title="Qualifications it awards or accredits"
        items={doc.qualifications}
      />
      <LinkList id="routes" title="Training routes it accredits or runs" items={doc.routes} />
      <LinkList id="roles" title="Roles whose professional body it is" items={doc.roles} />
    </article>
  )
}

export function FrameworkView({doc}: {doc: Framework}) {
  const levels = doc.levels ?? []
  return (
    <article>
      <Heading kind="framework" title={doc.title} />
      {doc.summary ? <p className="summary">{doc.summary}</p> : null}
      <Facts
        rows={[
          ['Short name', doc.acronym],
          ['Career area', one(doc.partOf)],
          ['Introduced by', one(doc.introducedBy)],
        ]}
      />
      {levels.length > 0 ? (
        <section aria-labelledby="levels">
          <h2 id="levels">Career levels</h2>
          <ol>
            {levels.map((level) => (
              <li key={level._key}>
                <strong>{optionTitle(careerLevels, level.careerLevel) ?? 'Level'}</strong>
                {present(level.programmes).length > 0 ? (
                  <>
                    {': '}
                    {inline(level.programmes)}
                  </>
                ) : null}
                {level.nextStep ? <p>{level.nextStep}</p> : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </article>
  )
}
