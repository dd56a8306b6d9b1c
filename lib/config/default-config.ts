import { BaselineConfigInput } from './types';

/**
 * The configuration used when no `-c config=FILE` is given: three environment-agnostic
 * environments on their profiles' defaults, so `npx cdk synth` works on a fresh clone with no
 * setup, no AWS account and no network. `config/example.json` shows every setting.
 */
export const DEFAULT_CONFIG: BaselineConfigInput = {
  environments: {
    dev: { profile: 'dev' },
    test: { profile: 'test' },
    prod: { profile: 'prod' },
  },
};
