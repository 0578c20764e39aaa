/** Browser tests run against the Studio as `npm run dev` serves it: build it first when stale. */
import {buildStudio} from '../../scripts/lib/studioBuild'

export default async function setup(): Promise<void> {
  await buildStudio()
}
