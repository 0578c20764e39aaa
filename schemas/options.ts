/**
 * Option lists shared by several types (and by the frontend for labels). Values are stable ids;
 * titles are what editors and readers see. Adding an option here needs no other code change.
 */

export interface Option<Value extends string = string> {
  value: Value
  title: string
}

/** Where someone enters or sits in a healthcare-science career. */
export const careerLevels = [
  {value: 'trainee', title: 'Trainee (trained on the job)'},
  {value: 'assistant-associate', title: 'Healthcare science assistant or associate'},
  {value: 'practitioner', title: 'Healthcare science practitioner'},
  {value: 'scientist', title: 'Clinical scientist'},
  {value: 'consultant', title: 'Consultant / higher specialist scientist'},
  {value: 'any', title: 'Any level (continuing development)'},
] as const satisfies readonly Option[]

export const organisationKinds = [
  {value: 'regulator', title: 'Regulator'},
  {value: 'professional-body', title: 'Professional body'},
  {value: 'academy', title: 'Academy'},
  {value: 'school', title: 'School / training body'},
  {value: 'admissions-service', title: 'Admissions service'},
  {value: 'employer', title: 'Employer'},
  {value: 'university', title: 'University / education provider'},
] as const satisfies readonly Option[]

export const qualificationKinds = [
  {value: 'certificate-of-competence', title: 'Certificate of competence'},
  {value: 'certificate-exam', title: 'Certificate examination'},
  {value: 'qcf-vq', title: 'QCF / vocational qualification'},
  {value: 'foundation-degree', title: 'Foundation degree'},
  {value: 'bsc', title: 'BSc degree'},
  {value: 'msc', title: 'MSc / Master’s degree'},
  {value: 'doctorate', title: 'Doctorate'},
  {value: 'postgraduate', title: 'Postgraduate award (certificate or diploma)'},
  {value: 'professional-award', title: 'Professional award (assessed short courses)'},
  {value: 'certificate-of-attainment', title: 'Certificate of attainment'},
  {value: 'certificate-of-equivalence', title: 'Certificate of equivalence'},
] as const satisfies readonly Option[]

export const studyModes = [
  {value: 'full-time', title: 'Full-time'},
  {value: 'part-time', title: 'Part-time'},
  {value: 'work-based', title: 'Work-based (in post)'},
  {value: 'short-course', title: 'Short courses'},
  {value: 'integrated', title: 'Integrated academic and workplace learning'},
] as const satisfies readonly Option[]

/** The level of study a route's academic part is at. */
export const studyLevels = [
  {value: 'in-post', title: 'In post (vocational)'},
  {value: 'undergraduate', title: 'Undergraduate'},
  {value: 'postgraduate', title: 'Postgraduate'},
  {value: 'doctoral', title: 'Doctoral'},
] as const satisfies readonly Option[]

export const applicationRoutes = [
  {value: 'ucas', title: 'Through UCAS'},
  {value: 'national-recruitment', title: 'National recruitment'},
  {value: 'employer', title: 'Through your employer'},
  {value: 'job-vacancy', title: 'By applying for a job vacancy'},
] as const satisfies readonly Option[]

export const pageSections = [
  {value: 'overview', title: 'Overview'},
  {value: 'roles', title: 'Roles'},
  {value: 'entry-requirements', title: 'Entry requirements'},
  {value: 'training-development-registration', title: 'Training, development and registration'},
  {value: 'working-life', title: 'Working life'},
  {value: 'pay-and-benefits', title: 'Pay and benefits'},
] as const satisfies readonly Option[]

export const registrationStatuses = [
  {value: 'mandatory', title: 'Mandatory (statutory regulation)'},
  {value: 'voluntary', title: 'Voluntary (accredited register)'},
] as const satisfies readonly Option[]

/** The title for a stored value, falling back to the value so previews never show nothing. */
export function optionTitle(options: readonly Option[], value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  return options.find((o) => o.value === value)?.title ?? value
}
