/**
 * The seed dataset, written by hand from the "Training, development and registration (cardiac
 * sciences)" page. Every sentence of that page is kept exactly as published (typos included:
 * tests compare sentences), and the facts it states are modelled as programmes, qualifications,
 * organisations, roles and registrations. What is true everywhere (the national programmes, the
 * roles found in every specialism, the registers) is shared and filed under the career area; what
 * is true only of cardiac sciences (its training routes, its BSc and MSc, cardiographers) belongs
 * to the specialism. Run `node --import tsx seed/build.ts` to regenerate `seed/careers.ndjson` after editing this file.
 *
 * IDs are deterministic and contain no `.`: dotted ids are sub-paths that anonymous readers
 * (the public website) cannot see.
 */
import {block, keyMaker, linked, toDocument, toUrl} from './portableText'

export const ids = {
  settings: 'settings',
  area: 'careerArea-healthcare-science',
  theme: {
    physiological: 'theme-physiological-sciences',
    life: 'theme-life-sciences',
    physical: 'theme-physical-sciences-biomedical-engineering',
    bioinformatics: 'theme-clinical-bioinformatics',
  },
  specialism: 'specialism-cardiac-sciences',
  framework: 'framework-modernising-scientific-careers',
  page: 'page-training-development-registration-cardiac-sciences',
  org: {
    scst: 'organisation-scst',
    hcpc: 'organisation-hcpc',
    ahcs: 'organisation-ahcs',
    nshcs: 'organisation-nshcs',
    ucas: 'organisation-ucas',
  },
  qualification: {
    competence: 'qualification-certificate-of-competence',
    ecgExam: 'qualification-certificate-in-electrocardiography',
    qcfVq: 'qualification-qcf-vq-healthcare-science',
    foundationDegree: 'qualification-foundation-degree-healthcare-science',
    bsc: 'qualification-bsc-healthcare-science-cardiac-physiology',
    msc: 'qualification-msc-clinical-science-cardiac',
    doctorate: 'qualification-doctorate-hsst',
    asp: 'qualification-accredited-scientific-practice',
    aspPostgraduate: 'qualification-asp-postgraduate-award',
    attainment: 'qualification-ahcs-certificate-of-attainment',
    equivalence: 'qualification-ahcs-certificate-of-equivalence',
  },
  programme: {
    ptp: 'programme-ptp',
    stp: 'programme-stp',
    hsst: 'programme-hsst',
    asp: 'programme-asp',
  },
  route: {
    cardiographer: 'trainingRoute-cardiographer-cardiac-sciences',
    ptp: 'trainingRoute-ptp-cardiac-sciences',
    stp: 'trainingRoute-stp-cardiac-sciences',
    hsst: 'trainingRoute-hsst-cardiac-sciences',
  },
  role: {
    cardiographer: 'careerRole-cardiographer',
    assistantAssociate: 'careerRole-healthcare-science-assistant-associate',
    practitioner: 'careerRole-healthcare-science-practitioner',
    clinicalScientist: 'careerRole-clinical-scientist',
    consultant: 'careerRole-consultant-clinical-scientist',
  },
  registration: {
    hcpcClinicalScientist: 'registration-hcpc-clinical-scientists',
    ahcsPractitioner: 'registration-ahcs-practitioners',
  },
} as const

function ref(id: string, key?: string) {
  return key ? {_type: 'reference', _ref: id, _key: key} : {_type: 'reference', _ref: id}
}

/** Arrays of references need stable `_key`s too; the id is unique within the array. */
function refs(...list: string[]) {
  return list.map((id) => ref(id, id))
}

const urls = {
  courseFinder: 'https://www.healthcareers.nhs.uk/career-planning/course-finder',
  entryRequirements:
    'https://www.healthcareers.nhs.uk/explore-roles/healthcare-science/roles-healthcare-science/physiological-sciences/cardiac-sciences/entry-requirements-skills-and-interests-cardiac-sciences',
  professionalDevelopment:
    'https://www.healthcareers.nhs.uk/career-planning/developing-your-career/continuing-professional-development',
  nshcsAsp: 'https://nshcs.hee.nhs.uk/programmes/asp/',
  ahcsCertificates: 'https://www.ahcs.ac.uk/equivalence/',
  ahcsRegister: 'https://www.ahcs.ac.uk/accredited-register/',
  hcpc: 'https://www.hcpc-uk.org',
  contact: 'https://www.healthcareers.nhs.uk/about/contact-us',
}

const organisations = [
  {
    _id: ids.org.scst,
    _type: 'organisation',
    name: 'Society for Cardiological Science and Technology',
    acronym: 'SCST',
    kind: 'professional-body',
    website: 'https://www.scst.org.uk',
    description:
      'The professional body for cardiac physiologists; it runs the Certificate in Electrocardiography Examination.',
  },
  {
    _id: ids.org.hcpc,
    _type: 'organisation',
    name: 'Health and Care Professions Council',
    acronym: 'HCPC',
    kind: 'regulator',
    website: urls.hcpc,
    description: 'The statutory regulator clinical scientists must be registered with to practise.',
  },
  {
    _id: ids.org.ahcs,
    _type: 'organisation',
    name: 'Academy for Healthcare Science',
    acronym: 'AHCS',
    kind: 'academy',
    website: 'https://www.ahcs.ac.uk',
    description:
      'Awards Certificates of Attainment and Equivalence and keeps the voluntary register for healthcare science practitioners.',
  },
  {
    _id: ids.org.nshcs,
    _type: 'organisation',
    name: 'National School of Healthcare Science',
    acronym: 'NSHCS',
    kind: 'school',
    website: 'https://nshcs.hee.nhs.uk',
    description:
      'Runs the national training programmes for healthcare science and the portfolio programmes behind ASP.',
  },
  {
    _id: ids.org.ucas,
    _type: 'organisation',
    name: 'Universities and Colleges Admissions Service',
    acronym: 'UCAS',
    kind: 'admissions-service',
    website: 'https://www.ucas.com',
    description: 'Applications for full-time university courses are made through UCAS.',
  },
]

const registrations = [
  {
    _id: ids.registration.hcpcClinicalScientist,
    _type: 'registration',
    register: 'HCPC register of clinical scientists',
    body: ref(ids.org.hcpc),
    status: 'mandatory',
    roles: refs(ids.role.clinicalScientist, ids.role.consultant),
    requirement:
      'For registration as a clinical scientist, you must hold an Academy for Healthcare Science (AHCS) Certificate of Attainment granted upon completion of the MSC Scientist Training Programme or AHCS Certificate of Equivalence.',
    qualifyingQualifications: refs(ids.qualification.attainment, ids.qualification.equivalence),
    moreInformation: {_type: 'link', linkType: 'external', href: urls.hcpc, label: 'HCPC'},
  },
  {
    _id: ids.registration.ahcsPractitioner,
    _type: 'registration',
    register: 'AHCS Accredited Register for healthcare science practitioners',
    body: ref(ids.org.ahcs),
    status: 'voluntary',
    roles: refs(ids.role.practitioner),
    requirement:
      'Healthcare science practitioners in any specialism can join the voluntary register maintained by the Academy for Healthcare Science (AHCS).',
    qualifyingQualifications: refs(ids.qualification.bsc, ids.qualification.asp),
    moreInformation: {
      _type: 'link',
      linkType: 'external',
      href: urls.ahcsRegister,
      label:
        "Find out more about the Academy's voluntary register for healthcare science practitioners.",
    },
  },
]

const qualifications = [
  {
    _id: ids.qualification.competence,
    _type: 'qualification',
    name: 'Certificate of Competence',
    kind: 'certificate-of-competence',
    leadsToRegistration: false,
    description:
      'Certificates of Competence can be awarded for the safe performance of various duties, these will help if you want to work in a scientific entry-level role in another hospital.',
  },
  {
    _id: ids.qualification.ecgExam,
    _type: 'qualification',
    name: 'Certificate in Electrocardiography Examination',
    partOf: ref(ids.specialism),
    kind: 'certificate-exam',
    awardingBody: ref(ids.org.scst),
    leadsToRegistration: false,
  },
  {
    _id: ids.qualification.qcfVq,
    _type: 'qualification',
    name: 'QCF or VQ in healthcare science',
    kind: 'qcf-vq',
    leadsToRegistration: false,
    description: 'These qualifications are underpinned by an awards and qualifications framework.',
  },
  {
    _id: ids.qualification.foundationDegree,
    _type: 'qualification',
    name: 'Foundation degree in healthcare science (or equivalent)',
    kind: 'foundation-degree',
    academicLevel: 5,
    leadsToRegistration: false,
  },
  {
    _id: ids.qualification.bsc,
    _type: 'qualification',
    name: 'BSc (Hons) Healthcare Science (Cardiac Physiology)',
    partOf: ref(ids.specialism),
    kind: 'bsc',
    academicLevel: 6,
    accreditedBy: ref(ids.org.nshcs),
    leadsToRegistration: true,
    registration: ref(ids.registration.ahcsPractitioner),
    description:
      'A full-time (usually three-year) accredited integrated degree taken at university as part of the NHS Practitioner Training Programme.',
  },
  {
    _id: ids.qualification.msc,
    _type: 'qualification',
    name: "Master's degree in clinical science (cardiac science)",
    partOf: ref(ids.specialism),
    kind: 'msc',
    academicLevel: 7,
    accreditedBy: ref(ids.org.nshcs),
    leadsToRegistration: false,
    description: 'Studied during the NHS Scientist Training Programme in cardiac science.',
  },
  {
    _id: ids.qualification.doctorate,
    _type: 'qualification',
    name: 'Doctoral level qualification (Higher Specialist Scientist Training)',
    kind: 'doctorate',
    academicLevel: 8,
    leadsToRegistration: false,
  },
  {
    _id: ids.qualification.asp,
    _type: 'qualification',
    name: 'Accredited Scientific Practice qualification',
    kind: 'professional-award',
    leadsToRegistration: true,
    registration: ref(ids.registration.ahcsPractitioner),
    description:
      'ASP programmes provide you with a quality assured, rigorously assessed qualification which can lead to voluntary professional registration with the Academy for Healthcare Sciences (AHCS).',
  },
  {
    _id: ids.qualification.aspPostgraduate,
    _type: 'qualification',
    name: 'Postgraduate qualification from the university provider',
    kind: 'postgraduate',
    academicLevel: 7,
    leadsToRegistration: false,
    description:
      'In some cases, completion of academic study may also lead to an award of a postgraduate qualification from the university provider.',
  },
  {
    _id: ids.qualification.attainment,
    _type: 'qualification',
    name: 'AHCS Certificate of Attainment',
    kind: 'certificate-of-attainment',
    awardingBody: ref(ids.org.ahcs),
    leadsToRegistration: true,
    registration: ref(ids.registration.hcpcClinicalScientist),
    description: 'Granted upon completion of the MSC Scientist Training Programme.',
  },
  {
    _id: ids.qualification.equivalence,
    _type: 'qualification',
    name: 'AHCS Certificate of Equivalence',
    kind: 'certificate-of-equivalence',
    awardingBody: ref(ids.org.ahcs),
    leadsToRegistration: true,
    registration: ref(ids.registration.hcpcClinicalScientist),
    description:
      'For scientists who trained outside the Scientist Training Programme and can show equivalent learning.',
  },
]

/** The national programmes: only what is true in every specialism. */
const programmes = [
  {
    _id: ids.programme.ptp,
    _type: 'programme',
    name: 'NHS Practitioner Training Programme',
    acronym: 'PTP',
    careerLevel: 'practitioner',
    nationalBody: ref(ids.org.nshcs),
    summary:
      'An accredited integrated BSc degree in healthcare science, taken at university, with at least 50 weeks of workplace-based training in the NHS. Students specialise in one of the themes of healthcare science.',
    phases: [
      {
        _type: 'programmePhase',
        _key: 'broad',
        title: 'Broad scientific training',
        when: 'Year 1',
        description: 'The science shared by the healthcare science themes.',
      },
      {
        _type: 'programmePhase',
        _key: 'specialist',
        title: 'Specialist training',
        when: 'Years 2 and 3',
        description: 'Study and workplace placements in the chosen specialism.',
      },
    ],
    salaried: false,
    howToApply: 'ucas',
    applicationNotes: 'Applications for full-time courses are made through UCAS.',
  },
  {
    _id: ids.programme.stp,
    _type: 'programme',
    name: 'NHS Scientist Training Programme',
    acronym: 'STP',
    careerLevel: 'scientist',
    nationalBody: ref(ids.org.nshcs),
    summary:
      "A three-year programme for graduates in a fixed-term, salaried training post, studying towards a relevant Master's degree while training in the workplace.",
    phases: [
      {
        _type: 'programmePhase',
        _key: 'rotations',
        title: 'Rotational training',
        when: 'Year 1',
        description: 'Rotations across the specialisms of the theme.',
      },
      {
        _type: 'programmePhase',
        _key: 'specialist',
        title: 'Specialist training',
        when: 'Years 2 and 3',
        description: 'Training and study in the chosen specialism.',
      },
    ],
    salaried: true,
    employment: 'Fixed-term, salaried training post',
    howToApply: 'national-recruitment',
  },
  {
    _id: ids.programme.hsst,
    _type: 'programme',
    name: 'Higher Specialist Scientist Training',
    acronym: 'HSST',
    careerLevel: 'consultant',
    nationalBody: ref(ids.org.nshcs),
    summary:
      'If you’re entering Higher Specialist Scientist Training (HSST) you’ll study towards doctoral level qualifications.',
    howToApply: 'national-recruitment',
  },
  {
    _id: ids.programme.asp,
    _type: 'programme',
    name: 'Accredited Scientific Practice',
    acronym: 'ASP',
    careerLevel: 'any',
    nationalBody: ref(ids.org.nshcs),
    summary:
      'Accredited Scientific Practice (ASP) provides an additional route for your ongoing professional and scientific development as part of the healthcare science (HCS) workforce. ASP allows employers to develop bespoke, responsive, short course programmes to meet training needs within the HCS workforce.',
    salaried: false,
    howToApply: 'employer',
    applicationNotes:
      'An ASP programme involves work based learning with academic study of modules from the National School of Healthcare Science (NSHCS) portfolio programmes. Access to an e-portfolio is provided to record learning in the workplace while associated academic study is completed independently through an accredited university provider.',
    moreInformation: {
      _type: 'link',
      linkType: 'external',
      href: urls.nshcsAsp,
      label: 'Read more about ASP on the NSHCS website.',
    },
  },
]

/** How cardiac sciences trains people at each level: everything specific to the specialism. */
const routes = [
  {
    _id: ids.route.cardiographer,
    _type: 'trainingRoute',
    name: 'Cardiographer training in post (cardiac sciences)',
    partOf: ref(ids.specialism),
    summary:
      'As a trainee cardiographer, you’ll mostly train on the job, starting with general safety instructions and how the job role fits into the day to day working of the hospital. You’ll then move on to specialised individual training.',
    studyLevel: 'in-post',
    mode: 'work-based',
    awards: refs(ids.qualification.competence, ids.qualification.ecgExam),
    leadsTo: refs(ids.role.cardiographer),
  },
  {
    _id: ids.route.ptp,
    _type: 'trainingRoute',
    name: 'PTP in cardiac sciences',
    programme: ref(ids.programme.ptp),
    partOf: ref(ids.specialism),
    summary:
      'To enter via the NHS Practitioner Training Programme (PTP) you’ll need to take a full-time (usually three-year) accredited integrated BSc degree in healthcare science (cardiac physiology) at university. At least 50 weeks of workplace-based training in the NHS is included in these programmes.',
    entryRequirements: 'Applicants to university (school leavers and others)',
    studyLevel: 'undergraduate',
    duration: 'Usually three years',
    durationYears: 3,
    mode: 'integrated',
    workplaceTrainingWeeks: 50,
    accreditedBy: refs(ids.org.nshcs),
    awards: refs(ids.qualification.bsc),
    leadsTo: refs(ids.role.practitioner),
    moreInformation: {
      _type: 'link',
      linkType: 'external',
      href: urls.courseFinder,
      label:
        'For the most up-to-date list of accredited BSc Healthcare Science degrees, please use our course finder.',
    },
  },
  {
    _id: ids.route.stp,
    _type: 'trainingRoute',
    name: 'STP in cardiac sciences',
    programme: ref(ids.programme.stp),
    partOf: ref(ids.specialism),
    summary:
      "If you’re a graduate entering the NHS Scientist Training Programme (STP) you’ll be employed in a fixed-term, salaried training post and will study towards a relevant Master's degree qualification in cardiac science.",
    entryRequirements: 'Graduates',
    studyLevel: 'postgraduate',
    duration: 'Three years',
    durationYears: 3,
    mode: 'integrated',
    providers: refs(ids.org.nshcs),
    awards: refs(ids.qualification.msc, ids.qualification.attainment),
    leadsTo: refs(ids.role.clinicalScientist),
  },
  {
    _id: ids.route.hsst,
    _type: 'trainingRoute',
    name: 'HSST in cardiac sciences',
    programme: ref(ids.programme.hsst),
    partOf: ref(ids.specialism),
    summary:
      'If you’re entering Higher Specialist Scientist Training (HSST) you’ll study towards doctoral level qualifications.',
    entryRequirements: 'Registered clinical scientists',
    studyLevel: 'doctoral',
    mode: 'integrated',
    providers: refs(ids.org.nshcs),
    awards: refs(ids.qualification.doctorate),
    leadsTo: refs(ids.role.consultant),
  },
]

/** The framework that introduced the national programmes, level by level. */
const framework = {
  _id: ids.framework,
  _type: 'framework',
  name: 'Modernising Scientific Careers',
  acronym: 'MSC',
  slug: {_type: 'slug', current: 'modernising-scientific-careers'},
  partOf: ref(ids.area),
  introducedBy: ref(ids.org.nshcs),
  summary:
    'The national framework of healthcare science training across all specialisms: it introduced the Practitioner, Scientist and Higher Specialist Scientist training programmes.',
  levels: [
    {
      _type: 'frameworkLevel',
      _key: 'practitioner',
      careerLevel: 'practitioner',
      programmes: refs(ids.programme.ptp),
      nextStep:
        'Practitioners with a relevant degree can apply to the Scientist Training Programme.',
    },
    {
      _type: 'frameworkLevel',
      _key: 'scientist',
      careerLevel: 'scientist',
      programmes: refs(ids.programme.stp),
      nextStep: 'Registered clinical scientists can apply to Higher Specialist Scientist Training.',
    },
    {
      _type: 'frameworkLevel',
      _key: 'consultant',
      careerLevel: 'consultant',
      programmes: refs(ids.programme.hsst),
    },
  ],
}

const area = {
  _id: ids.area,
  _type: 'careerArea',
  name: 'Healthcare science',
  slug: {_type: 'slug', current: 'healthcare-science'},
  description:
    'Healthcare scientists work in laboratories, with patients and with technology to prevent, diagnose and treat illness.',
}

const themes = [
  {id: ids.theme.life, name: 'Life sciences', slug: 'life-sciences'},
  {id: ids.theme.physiological, name: 'Physiological sciences', slug: 'physiological-sciences'},
  {
    id: ids.theme.physical,
    name: 'Physical sciences and biomedical engineering',
    slug: 'physical-sciences-biomedical-engineering',
  },
  {id: ids.theme.bioinformatics, name: 'Clinical bioinformatics', slug: 'clinical-bioinformatics'},
].map(({id, name, slug}) => ({
  _id: id,
  _type: 'theme',
  name,
  slug: {_type: 'slug', current: slug},
  area: ref(ids.area),
}))

const roles = [
  {
    _id: ids.role.cardiographer,
    _type: 'careerRole',
    name: 'Cardiographer',
    slug: {_type: 'slug', current: 'cardiographer'},
    careerLevel: 'trainee',
    partOf: ref(ids.specialism),
    training:
      'As a trainee cardiographer, you’ll mostly train on the job, starting with general safety instructions and how the job role fits into the day to day working of the hospital. You’ll then move on to specialised individual training.',
    qualifications: refs(ids.qualification.competence, ids.qualification.ecgExam),
    professionalBodies: refs(ids.org.scst),
  },
  {
    _id: ids.role.assistantAssociate,
    _type: 'careerRole',
    name: 'Healthcare science assistant or associate',
    slug: {_type: 'slug', current: 'healthcare-science-assistant-or-associate'},
    careerLevel: 'assistant-associate',
    partOf: ref(ids.area),
    training:
      'Once in post as a healthcare science associate or assistant you’ll work towards relevant healthcare science qualifications dependant upon the job role. These could include QCF or VQs and foundation degrees (or equivalent) while you’re working.',
    qualifications: refs(ids.qualification.qcfVq, ids.qualification.foundationDegree),
  },
  {
    _id: ids.role.practitioner,
    _type: 'careerRole',
    name: 'Healthcare science practitioner',
    slug: {_type: 'slug', current: 'healthcare-science-practitioner'},
    careerLevel: 'practitioner',
    partOf: ref(ids.area),
    training:
      'Trained through the NHS Practitioner Training Programme: an accredited integrated BSc degree with at least 50 weeks of workplace-based training in the NHS. Once qualified, there are opportunities for further development.',
    entryProgramme: ref(ids.programme.ptp),
  },
  {
    _id: ids.role.clinicalScientist,
    _type: 'careerRole',
    name: 'Clinical scientist',
    slug: {_type: 'slug', current: 'clinical-scientist'},
    careerLevel: 'scientist',
    partOf: ref(ids.area),
    training:
      'Trained through the NHS Scientist Training Programme in a fixed-term, salaried training post. The are likely to be opportunities to gain further qualifications or expertise or both.',
    entryProgramme: ref(ids.programme.stp),
    qualifications: refs(ids.qualification.attainment),
  },
  {
    _id: ids.role.consultant,
    _type: 'careerRole',
    name: 'Consultant clinical scientist',
    slug: {_type: 'slug', current: 'consultant-clinical-scientist'},
    careerLevel: 'consultant',
    partOf: ref(ids.area),
    training:
      'Trained through Higher Specialist Scientist Training, studying towards doctoral level qualifications.',
    entryProgramme: ref(ids.programme.hsst),
    qualifications: refs(ids.qualification.doctorate),
  },
]

const specialism = {
  _id: ids.specialism,
  _type: 'specialism',
  name: 'cardiac sciences',
  slug: {_type: 'slug', current: 'cardiac-sciences'},
  theme: ref(ids.theme.physiological),
  description:
    'Cardiac physiologists and scientists investigate and monitor how the heart works, from ECGs to complex procedures.',
}

const pageKey = keyMaker('body')
const cpdKey = keyMaker('cpd')

const continuingProfessionalDevelopment = {
  _type: 'expandable',
  _key: 'cpd',
  title: 'Continuing professional development',
  body: [
    block(
      cpdKey,
      'normal',
      'No matter what level you are working at, as part of your development you will be expected to do continuing professional development (CPD) to show that you are keeping yourself up to date with the policies and procedures in your area of work.',
    ),
    block(
      cpdKey,
      'normal',
      linked(
        'Find out more general information about professional development',
        toUrl(urls.professionalDevelopment),
      ),
    ),
    block(
      cpdKey,
      'h3',
      'Accredited Scientific Practice- development opportunities for healthcare science staff',
    ),
    block(
      cpdKey,
      'normal',
      linked('Accredited Scientific Practice (ASP)', toDocument(ids.programme.asp)),
      ' provides an additional route for your ongoing professional and scientific development as part of the healthcare science (HCS) workforce. ASP allows employers to develop bespoke, responsive, short course programmes to meet training needs within the HCS workforce. ASP programmes provide you with a quality assured, rigorously assessed qualification which can lead to voluntary professional registration with the ',
      linked('Academy for Healthcare Sciences (AHCS)', toDocument(ids.org.ahcs)),
      '.',
    ),
    block(
      cpdKey,
      'normal',
      'An ASP programme involves work based learning with academic study of modules from the ',
      linked('National School of Healthcare Science (NSHCS)', toDocument(ids.org.nshcs)),
      ' portfolio programmes. Access to an e-portfolio is provided to record learning in the workplace while associated academic study is completed independently through an accredited university provider. In some cases, completion of academic study may also lead to an award of a postgraduate qualification from the university provider.',
    ),
    block(
      cpdKey,
      'normal',
      'Read more about ',
      linked('ASP on the NSHCS website', toUrl(urls.nshcsAsp)),
      '.',
    ),
    block(cpdKey, 'h3', 'Registration'),
    block(
      cpdKey,
      'normal',
      'Many healthcare science roles, including clinical scientists must be registered with the ',
      linked('Health and Care Professions Council (HCPC)', toDocument(ids.org.hcpc)),
      '.',
    ),
    block(
      cpdKey,
      'normal',
      'For registration as a clinical scientist, you must hold an Academy for Healthcare Science (AHCS) ',
      linked('Certificate of Attainment', toDocument(ids.qualification.attainment)),
      ' granted upon completion of the MSC ',
      linked('Scientist Training Programme', toDocument(ids.programme.stp)),
      ' or AHCS ',
      linked('Certificate of Equivalence', toDocument(ids.qualification.equivalence)),
      '.',
    ),
    block(
      cpdKey,
      'normal',
      linked(
        "Find out more about the Academy's Certificates on its website.",
        toUrl(urls.ahcsCertificates),
      ),
    ),
    block(
      cpdKey,
      'normal',
      'As a healthcare science practitioner in cardiac sciences, you can join voluntary the register maintained by the ',
      linked(
        'Academy for Healthcare Science (AHCS)',
        toDocument(ids.registration.ahcsPractitioner),
      ),
      '.',
    ),
    block(
      cpdKey,
      'normal',
      linked(
        "Find out more about the Academy's voluntary register for healthcare science practitioners.",
        toUrl(urls.ahcsRegister),
      ),
    ),
    {
      _type: 'callout',
      _key: 'cpd-callout',
      tone: 'info',
      body: [
        block(
          keyMaker('cpd-callout'),
          'normal',
          'Please check individual job vacancy details for information when applying.',
        ),
      ],
    },
  ],
}

const page = {
  _id: ids.page,
  _type: 'page',
  title: 'Training, development and registration (cardiac sciences)',
  slug: {_type: 'slug', current: 'training-development-registration-cardiac-sciences'},
  summary: 'The training depends on the level at which you enter your career in cardiac science.',
  partOf: ref(ids.specialism),
  section: 'training-development-registration',
  body: [
    block(pageKey, 'h2', 'Training and development'),
    block(
      pageKey,
      'normal',
      'Your training and education will depend on the level at which you’re working:',
    ),
    block(pageKey, 'h3', 'Cardiographer'),
    block(
      pageKey,
      'normal',
      'As a trainee cardiographer, you’ll mostly train on the job, starting with general safety instructions and how the job role fits into the day to day working of the hospital. You’ll then move on to specialised individual training. ',
      linked('Certificates of Competence', toDocument(ids.qualification.competence)),
      ' can be awarded for the safe performance of various duties, these will help if you want to work in a scientific entry-level role in another hospital. You’ll be encouraged to become enrolled members of the ',
      linked('Society for Cardiological Science and Technology', toDocument(ids.org.scst)),
      ' and undertake the ',
      linked(
        'Certificate in Electrocardiography Examination',
        toDocument(ids.qualification.ecgExam),
      ),
      '.',
    ),
    block(pageKey, 'h3', 'Healthcare science assistant or associate'),
    block(
      pageKey,
      'normal',
      'Once in post as a healthcare science associate or assistant you’ll work towards relevant healthcare science qualifications dependant upon the job role. These could include ',
      linked('QCF or VQs', toDocument(ids.qualification.qcfVq)),
      ' and ',
      linked('foundation degrees', toDocument(ids.qualification.foundationDegree)),
      ' (or equivalent) while you’re working. These qualifications are underpinned by an awards and qualifications framework.',
    ),
    block(pageKey, 'h3', 'NHS Practitioner Training Programme'),
    block(
      pageKey,
      'normal',
      'To enter via the NHS Practitioner Training Programme (PTP) you’ll need to take a full-time (usually three-year) accredited integrated ',
      linked(
        'BSc degree in healthcare science (cardiac physiology)',
        toDocument(ids.qualification.bsc),
      ),
      ' at university. At least 50 weeks of workplace-based training in the NHS is included in these programmes. For the most up-to-date list of accredited BSc Healthcare Science degrees, please use our ',
      linked('course finder', toUrl(urls.courseFinder)),
      '. Applications for full-time courses are made through ',
      linked('UCAS', toDocument(ids.org.ucas)),
      '. Once qualified, there are opportunities for further development.',
    ),
    block(pageKey, 'h3', 'NHS Scientist Training Programme'),
    block(
      pageKey,
      'normal',
      'If you’re a graduate entering the NHS Scientist Training Programme (STP) you’ll be employed in a fixed-term, salaried training post and will study towards a relevant ',
      linked("Master's degree qualification", toDocument(ids.qualification.msc)),
      ' in cardiac science. The are likely to be opportunities to gain further qualifications or expertise or both.',
    ),
    block(pageKey, 'h3', 'Higher Specialist Scientist Training'),
    block(
      pageKey,
      'normal',
      'If you’re entering Higher Specialist Scientist Training (HSST) you’ll study towards ',
      linked('doctoral level qualifications', toDocument(ids.qualification.doctorate)),
      '.',
    ),
    block(
      pageKey,
      'normal',
      'All of the above programmes are supported by the development of workplace-based assessment tools, assessment of equivalent learning and the development of academic careers.',
    ),
    block(
      pageKey,
      'normal',
      linked(
        'Find out more about the entry requirements, skills and interests required to enter a career in cardiac science.',
        toUrl(urls.entryRequirements),
      ),
    ),
    continuingProfessionalDevelopment,
  ],
  findOutMore: [
    {
      _type: 'link',
      _key: 'entry-requirements',
      linkType: 'external',
      href: urls.entryRequirements,
      label: 'Entry requirements, skills and interests (cardiac sciences)',
    },
    {
      _type: 'link',
      _key: 'course-finder',
      linkType: 'external',
      href: urls.courseFinder,
      label: 'Course finder: accredited BSc Healthcare Science degrees',
    },
    {
      _type: 'link',
      _key: 'hcpc-registration',
      linkType: 'internal',
      internal: ref(ids.registration.hcpcClinicalScientist),
      label: 'Registering as a clinical scientist',
    },
  ],
  relatedProgrammes: refs(
    ids.programme.ptp,
    ids.programme.stp,
    ids.programme.hsst,
    ids.programme.asp,
  ),
  relatedRoutes: refs(ids.route.cardiographer, ids.route.ptp, ids.route.stp, ids.route.hsst),
  relatedRoles: refs(
    ids.role.cardiographer,
    ids.role.assistantAssociate,
    ids.role.practitioner,
    ids.role.clinicalScientist,
    ids.role.consultant,
  ),
  owner: 'Healthcare science careers content team',
  lastReviewed: '2026-06-01',
  nextReviewDue: '2027-06-01',
  seo: {
    _type: 'seo',
    title: 'Training and registration in cardiac sciences',
    description:
      'How cardiographers, assistants, practitioners and clinical scientists train in cardiac sciences, and how to register with the HCPC or AHCS.',
    noIndex: false,
  },
}

const settings = {
  _id: ids.settings,
  _type: 'settings',
  siteTitle: 'Health Careers',
  siteUrl: 'https://www.healthcareers.nhs.uk',
  contactPageUrl: urls.contact,
  feedbackForm: {
    toggleLabel: 'Make a comment or report a problem with this page',
    heading: 'Help us improve',
    intro:
      "This form is for you to tell us about something that could be improved about the website or if there's anything wrong, incorrect or inaccurate with what you see.",
    careerQuestionNote:
      'If you have a query about a career in the NHS, please visit our contact us page and call or email us.',
  },
}

/**
 * The whole seed. References form cycles (roles ↔ programmes), so it must be written in one
 * transaction: Sanity checks strong references when a transaction commits.
 */
export const seedDocuments: Record<string, unknown>[] = [
  settings,
  ...organisations,
  area,
  ...themes,
  specialism,
  ...registrations,
  ...qualifications,
  ...programmes,
  ...routes,
  framework,
  ...roles,
  page,
]
