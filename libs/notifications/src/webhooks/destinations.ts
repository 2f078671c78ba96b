import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where webhooks may go (docs/design.md, "Webhooks: safe outbound requests"). A destination is allowed by
 * a host rule (`hooks.example.org`, `*.example.org`) or a CIDR rule (`10.20.0.0/16`). Loopback is allowed
 * only with `allowLoopback`; link-local (cloud metadata), unspecified and multicast addresses only when a
 * CIDR rule names them. The rules are applied twice: to the URL when a subscription is made or changed,
 * and to every address the name resolves to when a delivery connects, so a name that later resolves to
 * somewhere else (DNS rebinding) reaches nothing it may not.
 */
export interface DestinationConfig {
  /** Comma-separated host names and CIDRs. */
  allowed: string;
  allowLoopback: boolean;
  allowHttp: boolean;
}

/** Why a destination is refused: the rule (a configuration variable, or the URL's own form) and what it says. */
export interface DestinationRefusal {
  rule: string;
  message: string;
}

type Family = 'ipv4' | 'ipv6';
const family = (address: string): Family => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** Never by a host rule alone: the machine itself, link-local (169.254.169.254 answers with cloud credentials), any, multicast. */
const SPECIAL = new BlockList();
for (const [net, prefix, f] of [
  ['0.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['255.255.255.255', 32, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
  ['::ffff:169.254.0.0', 112, 'ipv6'],
  ['::ffff:0.0.0.0', 104, 'ipv6'],
] as const)
  SPECIAL.addSubnet(net, prefix, f);

const isLoopbackName = (host: string): boolean => host === 'localhost' || host.endsWith('.localhost');

export class DestinationRules {
  private readonly hosts: string[] = [];
  private readonly suffixes: string[] = [];
  private readonly cidrs = new BlockList();
  private readonly cidrCount: number;

  constructor(private readonly config: DestinationConfig) {
    let cidrs = 0;
    for (const raw of config.allowed.split(',')) {
      const rule = raw.trim().toLowerCase();
      if (!rule) continue;
      const cidr = /^([^/]+)\/(\d{1,3})$/.exec(rule);
      if (cidr && isIP(cidr[1]!)) {
        const prefix = Number(cidr[2]);
        const f = family(cidr[1]!);
        if (prefix > (f === 'ipv4' ? 32 : 128))
          throw new RangeError(`WEBHOOK_ALLOWED_DESTINATIONS: bad prefix in ${rule}`);
        this.cidrs.addSubnet(cidr[1]!, prefix, f);
        cidrs += 1;
      } else if (isIP(rule)) {
        this.cidrs.addAddress(rule, family(rule));
        cidrs += 1;
      } else if (/^\*\.[a-z0-9.-]+$/.test(rule)) this.suffixes.push(rule.slice(1));
      else if (/^[a-z0-9.-]+$/.test(rule)) this.hosts.push(rule);
      else throw new RangeError(`WEBHOOK_ALLOWED_DESTINATIONS: not a host name or CIDR: ${rule}`);
    }
    this.cidrCount = cidrs;
  }

  /** Whether a host name is allowed by name (its addresses are still checked when connecting). */
  private namedByRule(host: string): boolean {
    return this.hosts.includes(host) || this.suffixes.some((s) => host.endsWith(s));
  }

  /** Whether an address may be connected to, for a host allowed by name or not. */
  addressAllowed(address: string, byName: boolean): DestinationRefusal | null {
    const f = family(address);
    if (LOOPBACK.check(address, f))
      return this.config.allowLoopback
        ? null
        : {
            rule: 'WEBHOOK_ALLOW_LOOPBACK',
            message: `${address} is loopback, and loopback destinations are not allowed`,
          };
    if (this.cidrCount > 0 && this.cidrs.check(address, f)) return null;
    if (byName && !SPECIAL.check(address, f)) return null;
    return {
      rule: 'WEBHOOK_ALLOWED_DESTINATIONS',
      message: byName
        ? `${address} is link-local, unspecified or multicast; only a CIDR rule allows it`
        : `${address} is in none of the allowed networks`,
    };
  }

  /** The URL checked as a subscription gives it; a name no host rule allows must resolve into allowed networks. */
  async check(
    raw: string,
    resolve: (host: string) => Promise<string[]> = resolveAll,
  ): Promise<DestinationRefusal | null> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { rule: 'url', message: 'must be an absolute http(s) URL' };
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      return { rule: 'url', message: `must be http or https, not ${url.protocol.replace(/:$/, '')}` };
    if (url.username || url.password) return { rule: 'url', message: 'must not carry a user name or password' };
    // `hash` is empty for a bare trailing '#': the raw text says whether there is one.
    if (url.hash || raw.includes('#')) return { rule: 'url', message: 'must not have a fragment' };
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    const loopback = isLoopbackName(host) || (isIP(host) > 0 && LOOPBACK.check(host, family(host)));
    if (loopback && !this.config.allowLoopback)
      return {
        rule: 'WEBHOOK_ALLOW_LOOPBACK',
        message: `${host} is loopback, and loopback destinations are not allowed`,
      };
    if (url.protocol === 'http:' && !loopback && !this.config.allowHttp)
      return { rule: 'WEBHOOK_ALLOW_HTTP', message: 'must be https (plain http is allowed only to loopback in tests)' };
    if (loopback) return null;
    if (isIP(host)) return this.addressAllowed(host, false);
    if (this.namedByRule(host)) return null;
    let addresses: string[];
    try {
      addresses = await resolve(host);
    } catch {
      return {
        rule: 'WEBHOOK_ALLOWED_DESTINATIONS',
        message: `${host} is not among the allowed host names, and it does not resolve`,
      };
    }
    for (const address of addresses) {
      const refusal = this.addressAllowed(address, false);
      if (refusal)
        return {
          rule: 'WEBHOOK_ALLOWED_DESTINATIONS',
          message: `${host} is not among the allowed host names, and it resolves to ${address}, in none of the allowed networks`,
        };
    }
    return null;
  }

  /**
   * A `lookup` for the delivery's connection: the name resolved as usual, then every address checked.
   * A refused address fails the connection before a byte is sent.
   */
  guardedLookup(): LookupFunction {
    return (hostname, options, callback) => {
      const host = hostname.toLowerCase();
      const byName = this.namedByRule(host) || (isLoopbackName(host) && this.config.allowLoopback);
      dnsLookup(hostname, { ...options, all: true }, (err, found) => {
        if (err) return callback(err, '', 0);
        const addresses = found;
        for (const a of addresses) {
          const refusal = this.addressAllowed(a.address, byName);
          if (refusal)
            return callback(
              Object.assign(new Error(`destination refused: ${refusal.message} (${refusal.rule})`), {
                code: 'EDESTINATIONREFUSED',
              }),
              '',
              0,
            );
        }
        if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
        const first = addresses[0];
        if (!first)
          return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
        callback(null, first.address, first.family);
      });
    };
  }
}

function resolveAll(host: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses.map((a) => a.address)))),
  );
}
