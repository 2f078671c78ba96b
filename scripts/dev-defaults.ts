/** The secret `npm run up` gives the API when JWT_SECRET is unset: for a developer's machine only. */
export const DEV_JWT_SECRET = 'dipb-local-development-secret-not-for-production';
