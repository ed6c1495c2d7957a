import { describeTranscripts } from '../../transcripts/transcript-runner.js';
import { transcriptFlow, transcriptLoginLinks } from '../../transcripts/flow-for-transcripts.js';
import { teamsDriverFactory } from './teams-driver.js';

describeTranscripts(
  'Teams (CloudAdapter over HTTP, fake connector)',
  teamsDriverFactory(transcriptFlow, transcriptLoginLinks),
);
