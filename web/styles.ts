/**
 * The site's one stylesheet, inlined by the layout (`web/layout.tsx`): every view's styles live
 * here, grouped by the part of the page they dress, so the layout, the document pages and the
 * feedback section can each add to it without a second place to look. Colours meet WCAG AA
 * contrast on white (#4c6272 is 6.1:1, #005eb8 5.9:1).
 */
export const STYLES = `
body{font-family:system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:0 1rem;line-height:1.5;color:#212b32}
a{color:#005eb8}.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem}
header{padding:1rem 0;border-bottom:4px solid #005eb8;margin-bottom:1rem}
.breadcrumbs ol{list-style:none;padding:0;margin:0 0 1rem;display:flex;flex-wrap:wrap;gap:.25rem .5rem;font-size:.95rem}
.breadcrumbs li+li::before{content:"›";margin-right:.5rem;color:#4c6272}
.kind{color:#4c6272;margin:0;font-weight:600}
.summary{font-size:1.2rem}.facts{color:#4c6272}.callout{border-left:6px solid #005eb8;padding:.5rem 1rem;background:#eef7ff}
dl.facts-list{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dl.facts-list dt{font-weight:600}dl.facts-list dd{margin:0}dl.facts-list>div{display:contents}
.related{border-top:1px solid #d8dde0;margin-top:2rem}
details.expandable{border:1px solid #d8dde0;padding:.5rem 1rem;margin:1rem 0}summary{cursor:pointer;font-weight:600}
.site-footer{border-top:4px solid #005eb8;margin-top:2rem;padding:1rem 0}
.feedback{margin-top:2rem;border-top:1px solid #d8dde0;padding-top:1rem}.feedback label{display:block;margin-top:.5rem}
.feedback textarea{width:100%}.feedback fieldset div label,.feedback div>input[type=checkbox]+label{display:inline}
.honeypot{position:absolute;left:-9999px}.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.error-summary{border:4px solid #d5281b;padding:1rem}.error-message{color:#d5281b;font-weight:600}.hint{color:#4c6272}.sent{background:#e6f4ea;padding:.5rem 1rem}
`
