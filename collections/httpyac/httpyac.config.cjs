// httpyac's defaults for dfns-api.http: the Dfns API over https (--var dfnsApiScheme=http only for the local Dfns emulator).
module.exports = { environments: { $shared: { dfnsApiDomain: 'api.dfns.io', dfnsApiScheme: 'https' } } };
