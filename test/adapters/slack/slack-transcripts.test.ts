import { describeTranscripts } from '../../transcripts/transcript-runner.js';
import { slackDriver } from './slack-driver.js';

describeTranscripts('Slack (Bolt over signed HTTP, fake Web API)', slackDriver);
