import { readFileSync } from 'node:fs';
import type { AppConfig } from '@app/config';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';

/** The options both `Connection` (client) and `NativeConnection` (worker) accept. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
  metadata?: Record<string, string>;
}

/**
 * Connection options for a local dev server, a self-hosted cluster (mTLS) or Temporal Cloud (API key
 * or mTLS), all from configuration. The same shape serves the client and the worker's NativeConnection.
 */
export function temporalConnectionOptions(config: AppConfig): TemporalConnectionOptions {
  const read = (path: string | undefined): Buffer | undefined => (path ? readFileSync(path) : undefined);
  const cert = read(config.TEMPORAL_TLS_CERT_PATH);
  const key = read(config.TEMPORAL_TLS_KEY_PATH);
  const ca = read(config.TEMPORAL_TLS_CA_PATH);
  const useTls = config.TEMPORAL_TLS || cert !== undefined || config.TEMPORAL_API_KEY !== undefined;
  const options: TemporalConnectionOptions = { address: config.TEMPORAL_ADDRESS };
  if (useTls) {
    options.tls = {
      ...(cert && key ? { clientCertPair: { crt: cert, key } } : {}),
      ...(ca ? { serverRootCACertificate: ca } : {}),
      ...(config.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME } : {}),
    };
  }
  if (config.TEMPORAL_API_KEY) {
    options.apiKey = config.TEMPORAL_API_KEY;
    options.metadata = { 'temporal-namespace': config.TEMPORAL_NAMESPACE };
  }
  return options;
}
