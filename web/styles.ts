import {FEEDBACK_STYLES, SITE_STYLES} from '../intake/FeedbackForm'

/**
 * The site's one stylesheet, inlined by the layout (`web/layout.tsx`): every view's styles live
 * here, grouped by the part of the page they dress; the base and the feedback form's come from
 * the form's renderer (`intake/FeedbackForm.tsx`), which also styles the intake's own answers. Colours meet WCAG AA
 * contrast on white (#4c6272 is 6.1:1, #005eb8 5.9:1).
 */
export const STYLES = `${SITE_STYLES}
header{padding:1rem 0;border-bottom:4px solid #005eb8;margin-bottom:1rem}
.breadcrumbs ol{list-style:none;padding:0;margin:0 0 1rem;display:flex;flex-wrap:wrap;gap:.25rem .5rem;font-size:.95rem}
.breadcrumbs li+li::before{content:"›";margin-right:.5rem;color:#4c6272}
.kind{color:#4c6272;margin:0;font-weight:600}
.summary{font-size:1.2rem}.facts{color:#4c6272}.callout{border-left:6px solid #005eb8;padding:.5rem 1rem;background:#eef7ff}
dl.facts-list{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dl.facts-list dt{font-weight:600}dl.facts-list dd{margin:0}dl.facts-list>div{display:contents}
.related{border-top:1px solid #d8dde0;margin-top:2rem}
details.expandable{border:1px solid #d8dde0;padding:.5rem 1rem;margin:1rem 0}summary{cursor:pointer;font-weight:600}
img.site-image,img.logo{display:block;max-width:100%;height:auto;margin:1rem 0}img.logo{max-width:12rem}
.draft-mode{background:#fff2b3;border-bottom:2px solid #ffb81c;padding:.5rem 1rem;margin:0}
.site-footer{border-top:4px solid #005eb8;margin-top:2rem;padding:1rem 0}
${FEEDBACK_STYLES}`
