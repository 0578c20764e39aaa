/**
 * Each rule family rejects the value it exists for, with the message an editor sees, and accepts
 * the fixed value. Documents go through Sanity's own validation (as `npm run validate` does);
 * the named conditional validators are also called directly.
 */
import {describe, expect, it} from 'vitest'

import {
  duplicateOfWhenDuplicate,
  feedbackIdUnderSubPath,
  resolutionNoteWhenResolving,
  somethingReported,
} from '../../schemas/documents/feedbackSubmission'
import {linksHaveLabels} from '../../schemas/documents/page'
import {workplaceTrainingWithinDuration} from '../../schemas/documents/trainingRoute'
import {registrationNamedWhenLeadingToRegistration} from '../../schemas/documents/qualification'
import {linkTarget} from '../../schemas/objects/link'
import {acronymFormat, HTTP_URL_MESSAGE, reviewDatesInOrder} from '../../schemas/validation'
import {
  areaForPage,
  markersFor,
  messagesAt,
  specialismForPage,
  validFeedback,
  validPage,
} from './validate'

const pageDataset = [specialismForPage, areaForPage]

describe('fixtures', () => {
  it('the valid page and feedback have no markers at all', async () => {
    expect(await markersFor(validPage, pageDataset)).toEqual([])
    expect(await markersFor(validFeedback)).toEqual([])
  })
})

describe('required fields', () => {
  it('explain why a page title, summary and owner are needed', async () => {
    const {title: _t, summary: _s, owner: _o, ...page} = validPage
    const markers = await markersFor(page, pageDataset)
    expect(messagesAt(markers, 'title')).toEqual([
      'Every page needs a title: it is the heading and the browser tab.',
    ])
    expect(messagesAt(markers, 'summary')).toEqual([
      'The summary is shown under the title and in search results.',
    ])
    expect(messagesAt(markers, 'owner')).toEqual([
      'Feedback is routed to the owning team; name one.',
    ])
  })

  it('warn (softly) when review dates are missing', async () => {
    const {lastReviewed: _l, nextReviewDue: _n, ...page} = validPage
    const markers = await markersFor(page, pageDataset)
    expect(markers.filter((m) => m.level === 'error')).toEqual([])
    expect(messagesAt(markers, 'nextReviewDue', 'warning')).toEqual([
      'Set a review date so the page does not go stale.',
    ])
  })

  it('on url fields say why, once, next to the scheme rule', async () => {
    const {url: _u, ...feedback} = validFeedback
    expect(messagesAt(await markersFor(feedback), 'url')).toEqual([
      'A report must say which page it is about.',
    ])
    const settings = {_id: 'settings', _type: 'settings', siteTitle: 'Health Careers'}
    expect(messagesAt(await markersFor(settings), 'contactPageUrl')).toEqual([
      'Career questions need somewhere to go: enter the contact page.',
    ])
  })

  it('check references exist in the dataset', async () => {
    const markers = await markersFor(validPage, [])
    expect(messagesAt(markers, 'partOf')).toHaveLength(1)
  })
})

describe('slug uniqueness', () => {
  const twin = {...validPage, _id: 'page-twin', title: 'Twin'}

  it('rejects a second page with the same slug, naming the other page', async () => {
    const markers = await markersFor(validPage, [...pageDataset, twin])
    expect(messagesAt(markers, 'slug')).toEqual([
      '"test-page" is already used by another document (page-twin): choose a different slug so each has its own address.',
    ])
  })

  it("does not count the page's own draft as a clash", async () => {
    const draft = {...validPage, _id: 'drafts.page-test'}
    expect(messagesAt(await markersFor(validPage, [...pageDataset, draft]), 'slug')).toEqual([])
  })

  it('allows the same slug on a different document type', async () => {
    const role = {
      _id: 'careerRole-x',
      _type: 'careerRole',
      name: 'X',
      careerLevel: 'practitioner',
      training: 'On the job.',
      slug: {_type: 'slug', current: 'test-page'},
    }
    expect(messagesAt(await markersFor(validPage, [...pageDataset, role]), 'slug')).toEqual([])
  })
  it('refuses a page slug the site keeps for its own paths, and accepts one beside it', async () => {
    const reserved = {...validPage, slug: {_type: 'slug', current: 'roles'}}
    const [message] = messagesAt(await markersFor(reserved, pageDataset), 'slug')
    expect(message).toMatch(/^"roles" is an address the site keeps for itself \(.*\/roles.*\)/)
    const beside = {...validPage, slug: {_type: 'slug', current: 'roles-in-cardiology'}}
    expect(messagesAt(await markersFor(beside, pageDataset), 'slug')).toEqual([])
  })
})

describe('URL scheme', () => {
  const withLink = (href: string) => ({
    ...validPage,
    findOutMore: [{_type: 'link', _key: 'l1', linkType: 'external', href, label: 'More'}],
  })
  const path = 'findOutMore[_key=="l1"].href'

  it.each([
    'javascript:alert(1)',
    'mailto:someone@example.org',
    'ftp://example.org/file',
    '/a/relative/path',
  ])('rejects %s in a link', async (href) => {
    expect(messagesAt(await markersFor(withLink(href), pageDataset), path)).toEqual([
      HTTP_URL_MESSAGE,
    ])
  })

  it.each(['https://www.ucas.com', 'http://example.org/x?y=1'])('accepts %s', async (href) => {
    expect(await markersFor(withLink(href), pageDataset)).toEqual([])
  })

  it('rejects a non-web organisation website and a non-web feedback URL', async () => {
    const org = {
      _id: 'organisation-x',
      _type: 'organisation',
      name: 'X',
      kind: 'regulator',
      website: 'javascript:void(0)',
    }
    expect(messagesAt(await markersFor(org), 'website')).toEqual([HTTP_URL_MESSAGE])
    const feedback = {...validFeedback, url: 'data:text/html,hi'}
    expect(messagesAt(await markersFor(feedback), 'url')).toEqual([HTTP_URL_MESSAGE])
  })
})

describe('link targets', () => {
  it('need a document for internal links and an address for external ones', () => {
    expect(linkTarget({linkType: 'internal'})).toBe(
      'Choose the page or document this link goes to.',
    )
    expect(linkTarget({linkType: 'external'})).toBe('Enter the web address this link goes to.')
    expect(linkTarget({linkType: 'internal', internal: {_ref: 'page-x'}})).toBe(true)
    expect(linkTarget({linkType: 'external', href: 'https://x.org', internal: {_ref: 'p'}})).toBe(
      'An external link cannot also point to a document: remove it.',
    )
  })

  it('are checked on annotations inside body text, as errors', async () => {
    const page = {
      ...validPage,
      body: [
        {
          ...validPage.body[0],
          markDefs: [{_key: 'm1', _type: 'link', linkType: 'internal'}],
          children: [{_type: 'span', _key: 's1', text: 'Hello.', marks: ['m1']}],
        },
      ],
    }
    expect(
      messagesAt(await markersFor(page, pageDataset), 'body[_key=="b1"].markDefs[_key=="m1"]'),
    ).toEqual(['Choose the page or document this link goes to.'])
  })

  it('in link lists need link text', async () => {
    expect(linksHaveLabels([{label: 'A'}, {label: '  '}])).toBe(
      'Link 2 has no link text; readers would see an empty link.',
    )
    expect(linksHaveLabels([{label: 'A'}])).toBe(true)
  })
})

describe('review dates', () => {
  it('takes a page review interval of whole months from 1 to 60 only', async () => {
    for (const bad of [0, 61, 1.5]) {
      const markers = await markersFor({...validPage, reviewIntervalMonths: bad}, pageDataset)
      expect(messagesAt(markers, 'reviewIntervalMonths')).toContain(
        'Choose a whole number of months between 1 and 60.',
      )
    }
    expect(await markersFor({...validPage, reviewIntervalMonths: 6}, pageDataset)).toEqual([])
  })

  it('rejects a next review on or before the last review', async () => {
    const page = {...validPage, lastReviewed: '2026-05-01', nextReviewDue: '2026-04-01'}
    expect(messagesAt(await markersFor(page, pageDataset), 'nextReviewDue')).toEqual([
      'The next review (2026-04-01) must be after the last review (2026-05-01).',
    ])
    expect(reviewDatesInOrder('2026-05-01', '2026-05-01')).toMatch(/must be after/)
  })

  it('accepts a later next review, and leaves missing dates to the required rules', () => {
    expect(reviewDatesInOrder('2026-05-01', '2026-05-02')).toBe(true)
    expect(reviewDatesInOrder(undefined, '2026-05-02')).toBe(true)
    expect(reviewDatesInOrder('2026-05-01', undefined)).toBe(true)
  })
})

describe('acronyms', () => {
  it.each(['ptp', 'P.T.P', 'P', 'Stp', 'TOOLONGXX', 'H SST'])('rejects %s', (value) => {
    expect(acronymFormat(value)).toMatch(/^Write the acronym in capitals/)
  })

  it.each(['PTP', 'STP', 'HSST', 'ASP', 'NSHCS', 'AHCS', undefined, ''])('accepts %s', (value) => {
    expect(acronymFormat(value)).toBe(true)
  })

  it('reach editors as an error on the programme', async () => {
    const programme = {
      _id: 'programme-x',
      _type: 'programme',
      name: 'X programme',
      acronym: 'x.p.',
      careerLevel: 'practitioner',
      summary: 'X.',
      howToApply: 'ucas',
    }
    expect(messagesAt(await markersFor(programme), 'acronym')).toEqual([
      'Write the acronym in capitals without spaces or full stops, e.g. "PTP" or "HSST" (2–8 characters).',
    ])
  })
})

describe('programme and qualification facts', () => {
  it('workplace training cannot outlast the programme', () => {
    expect(workplaceTrainingWithinDuration(50, 3)).toBe(true)
    expect(workplaceTrainingWithinDuration(200, 3)).toBe(
      '200 weeks of workplace training do not fit in a 3-year route.',
    )
    expect(workplaceTrainingWithinDuration(50, undefined)).toBe(true)
  })

  it('a qualification leading to registration names the register', () => {
    expect(registrationNamedWhenLeadingToRegistration(true, undefined)).toMatch(/which register/)
    expect(registrationNamedWhenLeadingToRegistration(true, {_ref: 'registration-x'})).toBe(true)
    expect(registrationNamedWhenLeadingToRegistration(false, undefined)).toBe(true)
  })
})

describe('feedback submissions', () => {
  it('cannot be resolved without a resolution note', async () => {
    const resolved = {...validFeedback, status: 'resolved'}
    expect(messagesAt(await markersFor(resolved), 'resolutionNote')).toEqual([
      'Say what was changed before marking this "Resolved": the note is the record that it was handled.',
    ])
    const withNote = {...resolved, resolutionNote: 'Fixed the link to UCAS.'}
    expect(await markersFor(withNote)).toEqual([])
    expect(resolutionNoteWhenResolving('resolved', '   ')).not.toBe(true)
    expect(resolutionNoteWhenResolving('triaged', undefined)).toBe(true)
  })

  it("only recommend a note for won't fix", async () => {
    const markers = await markersFor({...validFeedback, status: 'wont-fix'})
    expect(markers.filter((m) => m.level === 'error')).toEqual([])
    expect(messagesAt(markers, 'resolutionNote', 'warning')).toEqual([
      'Add a note saying why, so the decision is not revisited.',
    ])
  })

  it('marked duplicate must point at another report', async () => {
    const duplicate = {...validFeedback, status: 'duplicate'}
    expect(messagesAt(await markersFor(duplicate), 'duplicateOf')).toEqual([
      'Choose the report this one duplicates, so the two can be read together.',
    ])
    expect(
      duplicateOfWhenDuplicate(
        'duplicate',
        {_ref: validFeedback._id},
        `drafts.${validFeedback._id}`,
      ),
    ).toBe('A report cannot be a duplicate of itself.')
  })

  it('need at least one of the two free-text answers', async () => {
    const {whatDoing: _d, whatWentWrong: _w, ...empty} = validFeedback
    expect(messagesAt(await markersFor(empty), 'whatWentWrong')).toEqual([
      'A report needs at least one of "What were you doing" or "What went wrong".',
    ])
    expect(somethingReported('', 'Broken link')).toBe(true)
  })

  it('reject text over 1,250 characters', async () => {
    const long = {...validFeedback, whatWentWrong: 'x'.repeat(1251)}
    expect(messagesAt(await markersFor(long), 'whatWentWrong')).toEqual([
      'Answers are limited to 1250 characters.',
    ])
  })

  it('live under the feedback. sub-path', async () => {
    const exposed = {...validFeedback, _id: 'not-hidden'}
    expect(messagesAt(await markersFor(exposed), '')).toEqual([
      'Feedback documents must have ids starting with "feedback." so the public cannot read them.',
    ])
    expect(feedbackIdUnderSubPath('drafts.feedback.abc')).toBe(true)
  })

  it('reject a status that is not a workflow state', async () => {
    const markers = await markersFor({...validFeedback, status: 'closed'})
    expect(messagesAt(markers, 'status')).toHaveLength(1)
  })
})

describe('unknown fields', () => {
  it('are reported, so typos in a dataset file do not go unnoticed', async () => {
    const markers = await markersFor({...validFeedback, whatWentWorng: 'typo'})
    expect(messagesAt(markers, 'whatWentWorng', 'warning')).toEqual([
      "Field 'whatWentWorng' does not exist on type 'feedbackSubmission'",
    ])
  })
})
