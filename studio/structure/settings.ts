import {CogIcon} from '@sanity/icons/Cog'
import type {StructureBuilder} from 'sanity/structure'

import {SETTINGS_ID} from '../../schemas'

/** The site settings: one document at a fixed id, opened directly rather than from a list. */
export function settingsItem(S: StructureBuilder) {
  return S.listItem()
    .title('Site settings')
    .id('settings')
    .icon(CogIcon)
    .child(S.document().schemaType('settings').documentId(SETTINGS_ID).title('Site settings'))
}
