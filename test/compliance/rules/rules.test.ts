import { runSpecs } from '../../specs';

// Every rules spec of this folder (*.spec.ts), in one Jest test file: see test/specs.ts.
runSpecs(__dirname);
