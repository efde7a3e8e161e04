import { mergeConfig } from 'vitest/config';
import { baseTestConfig } from '../../vitest.config.base.js';

export default mergeConfig(baseTestConfig, {});
