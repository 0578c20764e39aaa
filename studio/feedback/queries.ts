/**
 * The GROQ the Studio's feedback views use. Spam is kept out of every inbox (it has its own list,
 * for rescuing false positives); values are always parameters.
 */
import {defineQuery} from 'groq'

import {openFeedbackStatuses} from '../../feedback/workflow'

export const FEEDBACK_TYPE = 'feedbackSubmission'

/** Document-list filters (the structure builder adds `_type` itself only for type lists). */
export const feedbackFilters = {
  byStatus: `_type == "${FEEDBACK_TYPE}" && status == $status`,
  open: `_type == "${FEEDBACK_TYPE}" && status in $open`,
  // identity() is the requester's user id, on the hosted lake and the local one alike: no
  // parameter to go stale, and the list is right for whoever opens it.
  assignedToMe: `_type == "${FEEDBACK_TYPE}" && assignee == identity() && status != "spam"`,
  aboutPage: `_type == "${FEEDBACK_TYPE}" && page._ref == $pageId && status != "spam"`,
  all: `_type == "${FEEDBACK_TYPE}" && status != "spam"`,
} as const

export const openStatusParams = {open: [...openFeedbackStatuses]}

// The Studio's client reads raw (drafts included); feedback is live-edited, but a stray draft
// must not be counted twice.
export const pageOpenFeedbackCountQuery = defineQuery(
  `count(*[_type == "feedbackSubmission" && !(_id in path("drafts.**")) && page._ref == $pageId && status in $open])`,
)

export const pageFeedbackQuery = defineQuery(
  `*[_type == "feedbackSubmission" && !(_id in path("drafts.**")) && page._ref == $pageId && status != "spam"] | order(submittedAt desc){_id, status, category, whatDoing, whatWentWrong, submittedAt, pageRevision, assignee}`,
)

export const feedbackOverviewQuery = defineQuery(
  `*[_type == "feedbackSubmission" && !(_id in path("drafts.**")) && submittedAt >= $since]{status, path, submittedAt, "pageTitle": page->title}`,
)

export const samePathFeedbackQuery = defineQuery(
  `*[_type == "feedbackSubmission" && !(_id in path("drafts.**")) && path == $path && _id != $id && status != "spam"] | order(submittedAt desc)[0...50]{_id, whatWentWrong, whatDoing, submittedAt, status}`,
)

/**
 * A reporter's address, by its id (`contactIdFor(report)`): the lake answers it to reviewers and
 * administrators only; anyone else gets `null`, as if there were none.
 */
export const reportContactQuery = defineQuery(
  `*[_id == $id && _type == "feedbackContact"][0]{email}`,
)

/** "Is this page useful?" counts since a day (`yyyy-mm-dd`), as `UsefulCount`s. */
export const usefulCountsQuery = defineQuery(
  `*[_type == "feedbackUseful" && !(_id in path("drafts.**")) && day >= $since]{"pageId": page._ref, "title": page->title, day, yes, no}`,
)

export const pageUsefulCountsQuery = defineQuery(
  `*[_type == "feedbackUseful" && !(_id in path("drafts.**")) && page._ref == $pageId && day >= $since]{"pageId": page._ref, day, yes, no}`,
)
