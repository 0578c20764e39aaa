import type {SchemaTypeDefinition} from 'sanity'

export const schemaTypes: SchemaTypeDefinition[] = []
