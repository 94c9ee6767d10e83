// Runtime flags read at startup (the sandbox's app checkout only carries this
// file so that the two releases differ the way the real ones did).
export const config = {
  sessionCookie: {name: 'kz_session', signing: 'hmac-sha256-v1'},
  s3StartupCheckStrict: process.env.S3_STARTUP_CHECK_STRICT === 'true',
  importBatchSize: 500,
};
