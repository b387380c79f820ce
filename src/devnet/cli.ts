// `npm run devnet -- --scenario FILE…`: runs scenario files on a fresh devnet and prints each
// step's result. Exit code 0 when every step passed, 1 when one failed, 2 for a bad scenario.
import { Command } from 'commander';
import { ScenarioError } from './scenario/fields.ts';
import { loadScenarioFile, runScenario } from './scenario/runner.ts';

const program = new Command()
  .name('devnet')
  .description('Mesh Security devnet: run scenario files (docs/scenarios.md) against the simulated chains')
  .requiredOption('-s, --scenario <file...>', 'scenario file(s), YAML or JSON')
  .option('-q, --quiet', 'print only failing steps and the summary')
  .parse();

const opts = program.opts<{ scenario: string[]; quiet?: boolean }>();
let failed = 0;
let passed = 0;
for (const file of opts.scenario) {
  try {
    const scenario = loadScenarioFile(file);
    console.log(`scenario: ${scenario.name} (${file})`);
    const report = runScenario(scenario, (r) => {
      if (!r.ok || !opts.quiet) console.log(`  ${r.ok ? '✓' : '✗'} ${r.step.label}: ${r.message}`);
    });
    passed += report.passed;
    failed += report.failed;
    console.log(`  ${report.passed} passed, ${report.failed} failed`);
  } catch (e) {
    if (e instanceof ScenarioError) {
      console.error(`bad scenario: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
}
if (opts.scenario.length > 1) console.log(`total: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
