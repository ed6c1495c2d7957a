import { engineDriver } from './engine-driver.js';
import { describeTranscripts } from './transcript-runner.js';

describeTranscripts('the engine', engineDriver);
