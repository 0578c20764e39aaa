/**
 * The lake's TLS certificate: generated on first start with `selfsigned` (a maintained library,
 * no hand-rolled crypto), stored in `<dataDir>/tls/{cert,key}.pem` and reused afterwards, so a
 * browser or a Node client that trusted it once keeps trusting it. `lib/client.ts` reads the same
 * `cert.pem` to trust the lake from Node.
 */
import {X509Certificate} from 'node:crypto'
import {chmodSync, existsSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'

import {generate} from 'selfsigned'

import {LAKE_CERT_FILE, LAKE_KEY_FILE} from '../files'
import {DATA_FILE_MODE, ensurePrivateDir, restrictTree} from '../permissions'

export interface TlsMaterial {
  cert: string
  key: string
  certPath: string
  /** True when this call generated a new certificate (first start or an expiring one). */
  generated: boolean
}

/** Regenerate when less than this remains, so a running lake never serves an expired cert. */
const RENEW_BEFORE_MS = 7 * 24 * 60 * 60 * 1000
const VALIDITY_DAYS = 365

function stillValid(cert: string): boolean {
  try {
    const x509 = new X509Certificate(cert)
    return Date.parse(x509.validTo) - Date.now() > RENEW_BEFORE_MS
  } catch {
    return false
  }
}

export async function ensureCertificate(dataDir: string): Promise<TlsMaterial> {
  const certPath = join(dataDir, LAKE_CERT_FILE)
  const keyPath = join(dataDir, LAKE_KEY_FILE)
  const tlsDir = dirname(keyPath)
  if (existsSync(certPath) && existsSync(keyPath)) {
    // Files from an older version (or copied in) are closed up before they are used.
    restrictTree(tlsDir)
    const cert = readFileSync(certPath, 'utf8')
    if (stillValid(cert))
      return {cert, key: readFileSync(keyPath, 'utf8'), certPath, generated: false}
  }
  ensurePrivateDir(tlsDir)
  const notBeforeDate = new Date(Date.now() - 60_000)
  const pems = await generate([{name: 'commonName', value: 'localhost'}], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + VALIDITY_DAYS * 24 * 60 * 60 * 1000),
    extensions: [
      {name: 'basicConstraints', cA: false},
      {name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true},
      {name: 'extKeyUsage', serverAuth: true},
      {
        name: 'subjectAltName',
        altNames: [
          {type: 2, value: 'localhost'},
          // The Studio's client may address `<projectId>.localhost`; browsers resolve it to loopback.
          {type: 2, value: '*.localhost'},
          {type: 7, ip: '127.0.0.1'},
          {type: 7, ip: '::1'},
        ],
      },
    ],
  })
  // The key first, created 0600, so there is never a readable key on disk.
  writeFileSync(keyPath, pems.private, {mode: DATA_FILE_MODE})
  chmodSync(keyPath, DATA_FILE_MODE)
  writeFileSync(certPath, pems.cert, {mode: DATA_FILE_MODE})
  chmodSync(certPath, DATA_FILE_MODE)
  return {cert: pems.cert, key: pems.private, certPath, generated: true}
}
