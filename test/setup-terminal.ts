// Ink decides once, when it is first imported, whether it runs in CI (the
// CI or CONTINUOUS_INTEGRATION variables) and then draws only the last
// frame. The player tests read the screen as a person sees it, and CI sets
// CI=true, so the variables go before any test file imports Ink.
delete process.env['CI'];
delete process.env['CONTINUOUS_INTEGRATION'];
