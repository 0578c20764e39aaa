/**
 * The files the lake keeps in its data directory, named once. Clients that connect to a local lake
 * (`lib/client.ts`) read the certificate and the local developer's token from here.
 */
import {join} from 'node:path'

/** The self-signed certificate the lake serves HTTPS with, and its key. */
export const LAKE_CERT_FILE = join('tls', 'cert.pem')
export const LAKE_KEY_FILE = join('tls', 'key.pem')
/** The local developer's administrator token, written on first start. */
export const LAKE_DEV_TOKEN_FILE = 'admin-token'
/** The one-time code for "Continue as local developer" in dev mode (`auth/developerCode.ts`). */
export const LAKE_DEV_CODE_FILE = 'developer-sign-in-code'
