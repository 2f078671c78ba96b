// Prints a development token: npm run token -- --role director --nation FRA [--wg IC] [--sub id] [--name "…"] [--expires 8h]
import { parseArgs } from 'node:util';
import { isNationCode, ROLES, WORKING_GROUPS, type Role, type WorkingGroup } from '../libs/domain/src';
import { signToken } from '../libs/testing/src/tokens';
import { DEV_JWT_SECRET } from './dev-defaults';

const { values } = parseArgs({
  options: {
    role: { type: 'string', multiple: true },
    nation: { type: 'string' },
    wg: { type: 'string', multiple: true },
    sub: { type: 'string' },
    name: { type: 'string' },
    expires: { type: 'string', default: '8h' },
  },
});

function fail(message: string): never {
  console.error(`npm run token: ${message}`);
  console.error(
    'usage: npm run token -- --role <secretariat|wg-member|senior-rep|director|observer> [--nation FRA] [--wg IC] [--expires 8h]',
  );
  process.exit(2);
}

const roles = (values.role ?? []).flatMap((r) => r.split(','));
if (roles.length === 0) fail('give at least one --role');
for (const r of roles) if (!(ROLES as readonly string[]).includes(r)) fail(`unknown role ${r}`);
const nation = values.nation?.toUpperCase();
if (nation !== undefined && !isNationCode(nation)) fail(`unknown nation ${values.nation}`);
const wgs = (values.wg ?? []).flatMap((w) => w.split(',')).map((w) => w.toUpperCase());
for (const w of wgs) if (!(WORKING_GROUPS as readonly string[]).includes(w)) fail(`unknown working group ${w}`);

const secret = process.env.JWT_SECRET ?? DEV_JWT_SECRET;
signToken(
  {
    roles: roles as Role[],
    ...(nation ? { nation } : {}),
    ...(wgs.length > 0 ? { workingGroups: wgs as WorkingGroup[] } : {}),
    ...(values.sub ? { sub: values.sub } : {}),
    ...(values.name ? { name: values.name } : {}),
  },
  {
    secret,
    issuer: process.env.JWT_ISSUER ?? 'dipb-dev',
    audience: process.env.JWT_AUDIENCE ?? 'dipb-api',
    expiresIn: values.expires,
  },
)
  .then((token) => console.log(token))
  .catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
