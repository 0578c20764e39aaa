/**
 * Cloud-only endpoints the Studio asks for on every load, answered the way Sanity answers a
 * project without the feature: an empty or "nothing to show" body with 200, so a Studio load logs
 * no errors (a 404 shows in the console as a failed request, and some callers log it again).
 * Nothing here reaches the network.
 *
 * | request                                   | answer                        | the Studio then       |
 * | ----------------------------------------- | ----------------------------- | --------------------- |
 * | `GET /journey/<upsell>` (asset-limit, …)  | `null`                        | shows no upsell       |
 * | `GET /journey/trial`, `/trial/override`   | `{}`                          | shows no trial dialog |
 * | `POST /journey/trial/<id>`                | `{}`                          | (dismissal recorded)  |
 * | `GET /journey/announcements`              | `[]`                          | no announcements      |
 * | `GET /help` (version check, help menu)    | `{}`                          | default help links    |
 * | `GET /schedules/<project>/<dataset>`      | `{schedules: []}`             | no scheduled publish  |
 * | `GET /check/cors` (`client.live` probe)   | `{result: {allowed: true, …}}`| keeps its own error   |
 * | `GET /access/requests/me` (role requests) | `[]`                          | no "request sent" note|
 *
 * `/features`, `/projects/<id>/grants` and `/projects/<id>/user-applications` are answered in
 * `app.ts` beside the other project endpoints.
 */

/** The upsell/quota endpoints: `null` is "no upsell for this project". */
const UPSELLS = new Set([
  'asset-limit',
  'document-limit',
  'comments',
  'tasks',
  'content-releases',
  'scheduled-drafts',
  'scheduled-publishing',
  'unclaimed-project',
])

/** The body for a cloud-only endpoint, or undefined when `segments` names none. */
export function cloudAnswer(
  method: string,
  segments: readonly string[],
): {body: unknown} | undefined {
  const [first, second, third, fourth] = segments
  switch (first) {
    case 'journey':
      if (second === undefined) return undefined
      if (second === 'announcements' && third === undefined) return {body: []}
      if (second === 'trial') {
        if (method === 'POST' && third !== undefined && fourth === undefined) return {body: {}}
        if (third === undefined || (third === 'override' && fourth === undefined)) return {body: {}}
        return undefined
      }
      if (UPSELLS.has(second) && third === undefined) return {body: null}
      return undefined
    case 'help':
      return second === undefined ? {body: {}} : undefined
    case 'schedules':
      // The list for a project and dataset; single schedules do not exist.
      return second !== undefined && third !== undefined && fourth === undefined
        ? {body: {schedules: []}}
        : undefined
    case 'access':
      // Asked when a signed-in role may not edit a document (the "ask to edit" banner): access
      // requests are a cloud feature, so there are none.
      return second === 'requests' && third === 'me' && fourth === undefined
        ? {body: []}
        : undefined
    case 'check':
      return second === 'cors' && third === undefined
        ? {body: {result: {allowed: true, withCredentials: true}}}
        : undefined
  }
  return undefined
}
