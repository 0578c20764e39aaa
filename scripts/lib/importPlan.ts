/**
 * The pure half of `npm run import`: parse the whole file, and either refuse with every problem
 * and its line number, or say exactly which transactions will be written.
 */
import {type BatchLimits, defaultBatchLimits, planBatches} from './batches'
import {type DatasetDocument, type LineProblem, parseNdjson} from './ndjson'

export type ImportPlan =
  | {ok: false; problems: LineProblem[]}
  | {ok: true; documents: DatasetDocument[]; batches: DatasetDocument[][]}

export function planImport(text: string, limits: BatchLimits = defaultBatchLimits): ImportPlan {
  const {documents, problems} = parseNdjson(text)
  if (problems.length > 0) return {ok: false, problems}
  return {ok: true, documents, batches: planBatches(documents, limits)}
}
