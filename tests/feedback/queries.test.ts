/** The Studio's feedback list filters, run with groq-js against a small dataset. */
import {evaluate, parse} from 'groq-js'
import {describe, expect, it} from 'vitest'

import {
  feedbackFilters,
  openStatusParams,
  pageOpenFeedbackCountQuery,
} from '../../studio/feedback/queries'

const dataset = [
  {
    _id: 'feedback.1',
    _type: 'feedbackSubmission',
    status: 'new',
    page: {_ref: 'page-a'},
    assignee: 'p-me',
  },
  {
    _id: 'feedback.2',
    _type: 'feedbackSubmission',
    status: 'spam',
    page: {_ref: 'page-a'},
    assignee: 'p-me',
  },
  {_id: 'feedback.3', _type: 'feedbackSubmission', status: 'resolved', page: {_ref: 'page-a'}},
  {
    _id: 'feedback.4',
    _type: 'feedbackSubmission',
    status: 'in-progress',
    page: {_ref: 'page-b'},
    assignee: 'p-other',
  },
  {_id: 'page-a', _type: 'page', status: 'new'},
]

async function ids(filter: string, params: Record<string, unknown>, identity?: string) {
  const result = await (
    await evaluate(parse(`*[${filter}]._id`), {dataset, params, ...(identity ? {identity} : {})})
  ).get()
  return result as string[]
}

describe('feedback list filters', () => {
  it('the open inbox has open states only and never spam', async () => {
    expect(await ids(feedbackFilters.open, openStatusParams)).toEqual(['feedback.1', 'feedback.4'])
  })
  it('assigned to me excludes spam and other people’s', async () => {
    expect(await ids(feedbackFilters.assignedToMe, {}, 'p-me')).toEqual(['feedback.1'])
  })
  it('about this page excludes spam', async () => {
    expect(await ids(feedbackFilters.aboutPage, {pageId: 'page-a'})).toEqual([
      'feedback.1',
      'feedback.3',
    ])
  })
  it('counts a page’s open feedback', async () => {
    const count = await (
      await evaluate(parse(pageOpenFeedbackCountQuery), {
        dataset,
        params: {pageId: 'page-a', ...openStatusParams},
      })
    ).get()
    expect(count).toBe(1)
  })
})
