/**
 * `npm run studio:build`: `sanity build` into `studio-dist/` for the lake to serve, made to load
 * nothing from other machines (`scripts/lib/offlineStudio.ts`), the same build `npm run dev` makes.
 */
import {buildStudio} from './lib/studioBuild'

await buildStudio({force: true})
