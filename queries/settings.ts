import {defineQuery} from 'groq'

/** The site's settings: title, where career questions go, and the feedback form's copy. */
export const settingsQuery = defineQuery(`
  *[_type == "settings" && _id == "settings"][0]{
    siteTitle,
    siteUrl,
    contactPageUrl,
    feedbackForm
  }
`)
