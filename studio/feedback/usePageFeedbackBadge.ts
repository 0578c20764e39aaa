/** On a page: how many open reports are about it (nothing when none). */
import {useEffect, useState} from 'react'
import {type DocumentBadgeComponent, getPublishedId, useClient} from 'sanity'

import {apiVersion} from '../../lib/env'
import {openStatusParams, pageOpenFeedbackCountQuery} from './queries'

export const usePageFeedbackBadge: DocumentBadgeComponent = (props) => {
  const client = useClient({apiVersion})
  const [count, setCount] = useState<number>(0)
  const pageId = getPublishedId(props.id)
  const rev = props.published?._rev

  useEffect(() => {
    if (props.type !== 'page') return
    let live = true
    client
      .fetch<number>(pageOpenFeedbackCountQuery, {pageId, ...openStatusParams})
      .then((n) => live && setCount(n))
      .catch(() => live && setCount(0))
    return () => {
      live = false
    }
  }, [client, pageId, props.type, rev])

  if (props.type !== 'page' || count === 0) return null
  return {
    label: `${count} open feedback`,
    color: 'warning',
    title: 'Reports from readers about this page that nobody has closed yet.',
  }
}
