/**
 * The boundaries of the code base, checked by `npm run lint` (dependency-cruiser). Each rule
 * says why it exists; test/boundaries/ shows each one failing on a fixture.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-import-cycles',
      comment:
        'A cycle makes load order decide behaviour and stops either side from being understood or tested alone; ' +
        'break it with a narrow interface.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'deployed-code-stays-deployed',
      comment:
        'bin/, lib/ and lambda/ are what `cdk deploy` ships; they never load the rehearsal, the tools or the tests.',
      severity: 'error',
      from: { path: '^(bin|lib|lambda)/' },
      to: { path: '^(rehearsal|tools|test)/' },
    },
    {
      name: 'deployed-code-uses-runtime-dependencies',
      comment:
        'A devDependency is not installed where the app is synthesized for deployment, nor bundled into a ' +
        'function; declare what deployed code needs under "dependencies".',
      severity: 'error',
      from: { path: '^(bin|lib|lambda)/' },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'functions-do-not-load-cdk',
      comment: "lambda/ is bundled into functions: the CDK app's code (lib/) has no place in them.",
      severity: 'error',
      from: { path: '^lambda/' },
      to: { path: '^lib/' },
    },
    {
      name: 'cdk-uses-only-the-contract',
      comment:
        'lib/ shares vocabulary with the functions through lambda/shared/ only; their runtime code is not part of a synth.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^lambda/', pathNot: '^lambda/shared/' },
    },
    {
      name: 'domain-behind-ports',
      comment:
        'Domain code asks for what a step needs through the narrow ports it owns; only the adapters in ' +
        'lambda/aws/ talk to the AWS SDK, so the domain reads in its own terms and its tests need no mocking library.',
      severity: 'error',
      from: { path: '^lambda/(canary|fleet|ledger|planning|refresh|traffic|triggers)/' },
      to: { path: '(^|/)node_modules/@aws-sdk/' },
    },
    {
      name: 'contract-stands-alone',
      comment: 'lambda/shared/ is the vocabulary both sides import; it imports neither of them.',
      severity: 'error',
      from: { path: '^lambda/shared/' },
      to: { path: '^(bin|lib|lambda|rehearsal|tools|test)/', pathNot: '^lambda/shared/' },
    },
  ],
  options: {
    // Type-only imports count too: a type import of lib/ from lambda/ still couples the two.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^node_modules', '^cdk\\.out', '^test/\\.out', '^test/boundaries/fixtures/'] },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mjs', '.js', '.json'],
    },
  },
};
