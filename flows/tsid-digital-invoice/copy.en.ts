import type { CopyKey } from './copy.it.js';

/** English copy: the same keys as Italian (the type checks it); portal labels stay Italian. */
export const en: Record<CopyKey, string> = {
  'choice.yes': 'Yes',
  'choice.no': 'No',
  'choice.unsure': "I'm not sure",
  'choice.done': 'Done',
  'choice.cant-find': "I can't find it",
  'choice.cant-login': "I can't sign in",
  'choice.agent': 'Talk to an agent',
  'choice.admin-here': 'An administrator is here now',
  'choice.register': 'I need to register',
  'choice.existing': 'I already have a TS ID',
  'choice.not-back': "I'm not back on the portal",
  'choice.new-link': 'New link',
  'choice.type-email': "I'll type the e-mail",
  'choice.email-forgot': "I don't remember it",
  'choice.ask-agent': 'Talk to a colleague',
  'choice.list-ok': "Yes, that's right",
  'choice.list-fix': 'Correct the list',
  'choice.understood': 'Understood',
  'choice.unlink': 'Yes, unlink {company}',
  'choice.skip': 'No, skip this company',
  'choice.accepted': 'Invite accepted',
  'choice.no-email': "The e-mail didn't arrive",
  'choice.still-stuck': "It doesn't work",
  'choice.green': "It's green",
  'choice.not-yet': 'Not yet',
  'choice.agent-yes': 'Yes, an agent',
  'choice.agent-no': "No, I'll go on",
  'choice.restart-yes': 'Yes, start over',
  'choice.restart-no': 'No, carry on',
  'choice.erase-yes': 'Yes, erase',
  'choice.erase-no': 'No, keep them',
  'choice.resume': 'Resume',
  'choice.reactivate': 'Reactivate {company} now',
  'choice.restart': 'Start over',

  'link.cassa-in-cloud': 'Cassa in Cloud portal',
  'link.ts-digital': 'TS Digital portal',
  'link.login': 'Sign in with your TS ID',

  'tsid.intro':
    'Hi! To re-activate "Digital Invoice" in Cassa in Cloud you need a TeamSystem ID (TS ID) linked to the portal.\n' +
    'Do you already have a TS ID?',
  'tsid.record-lost': "I'm sorry, I have lost track of where we had got to: let's start again from the beginning.",
  'tsid.guide-changed':
    'The guide has been updated since we last spoke: we resume from the step closest to where you were.',
  'tsid.admin':
    'To connect the TS ID you need to sign in to the Cassa in Cloud portal as an administrator. Are you an administrator of the portal?',
  'tsid.not-admin':
    'Without the administrator role you cannot connect the TS ID. Ask the administrator of the portal to follow this guide with you, ' +
    'or I can hand you to an agent.',
  'tsid.login':
    'Sign in to the Cassa in Cloud portal with your administrator credentials. When you are in, press "Done".',
  'tsid.open-section':
    'Open the section "TeamSystem ID". You find it in the menu under your name, at the top right of the main screen.',
  'tsid.open-section-hint':
    'Your name is in the bar at the top right of the main screen. When you select it, a pop-up opens with the entry "TeamSystem ID". ' +
    'If it is not there, your user may not have the administrator role.',
  'tsid.connect': 'Select "Connetti Team System ID": you will be taken to the external TS ID page.',
  'tsid.connect-unsure':
    'Select "Connetti Team System ID": you will be taken to the external TS ID page. ' +
    'There you register if you never created a TS ID, otherwise you sign in with yours. ' +
    'If your mail holds the TeamSystem ID welcome e-mail, you have one. Which is it?',
  'tsid.unsure-tip':
    'No problem, we find out in a moment. To tell, search your mail for "TeamSystem ID": if you find its welcome e-mail, you already have a TS ID.',
  'tsid.register':
    'Create your TS ID with the entry "Non hai un TeamSystem ID? Registrati". At the end you will be asked to sign in with the new TS ID.',
  'tsid.sign-in-existing':
    'Sign in with the TS ID you already use: this associates it with your Cassa in Cloud credentials.',
  'tsid.return': 'After signing in you are taken back to the Cassa in Cloud portal. Are you there?',
  'tsid.linked':
    'Great: your TS ID is now linked to your Cassa in Cloud credentials and to the company data in "Impostazioni Account". ' +
    'From now on you can also sign in to the portal with your TS ID.',
  'tsid.verify-link':
    'Let us check that the TS ID works: sign in with your TS ID from the link below. This also tells me where the TS Digital invite will arrive. ' +
    'The link is personal and valid for 10 minutes.',
  'tsid.verify-email': 'Write me the e-mail address of your TS ID: the TS Digital invite will arrive there.',
  'tsid.verify-email-invalid':
    'That does not look like an e-mail address (example: name@company.com). Please write it again.',
  'tsid.verify-code':
    'I received a sign-in from your link. To finish, type here the 6-digit code you see on the page in your browser.',
  'tsid.verify-code-wrong': 'That code is not right. Try again (attempts left: {left}).',
  'tsid.verify-code-void':
    'The code was wrong too many times: I cancelled that sign-in. Do you want a new link, or would you rather write me the e-mail of your TS ID?',
  'tsid.verify-code-expired':
    'The code has expired: I cancelled that sign-in. Do you want a new link, or would you rather write me the e-mail of your TS ID?',
  'tsid.verified': 'Good: the TS ID works. You signed in as {address}: the TS Digital invite will arrive there.',
  'tsid.verified-no-email':
    'Good: the TS ID works. You signed in as {address}, but this address is not verified: I will not use it for the invite.',
  'tsid.verify-unavailable':
    'The TeamSystem ID sign-in service is not answering right now. You can try again shortly with a new link, or write me the e-mail of your TS ID and go on.',
  'tsid.verify-failed':
    'The sign-in did not work. Do you want a new link, or would you rather write me the e-mail of your TS ID?',
  'tsid.email-forgot':
    'You find it in the TeamSystem ID welcome e-mail: search your mail for "TeamSystem". When you find it, write it to me here. ' +
    'If you cannot find it, a colleague can help you.',
  'tsid.email-typo': 'You wrote {email}. Did you mean {suggestion}?',
  'choice.email-fix': 'Yes, correct it',
  'choice.email-keep': 'No, it is right',
  'tsid.email-noted': 'Thank you: the TS Digital invite will arrive at {email}.',

  'invoice.open-settings':
    'Now we re-activate e-invoicing. Sign in to Cassa in Cloud as administrator, with the same sign-in as before. ' +
    'If you are still in, press "Done".',
  'invoice.settings-page': 'Go to "Impostazioni Account" → "TS Digital". There you see your companies.',
  'invoice.companies':
    'Write me the companies you see in the list, one per line or separated by commas. ' +
    'If you like, add the VAT number ("Partita IVA") after the name (example: Bar Roma 01234560785).',
  'invoice.companies-problems': 'Something in the list needs fixing:\n{problems}\nPlease write the whole list again.',
  'invoice.companies-readback': 'I have these companies:\n{list}\nIs that right?',
  'invoice.companies-retype': 'OK, write the whole list of companies again, one per line or separated by commas.',
  'problem.vat-invalid': '"{name}": the VAT number {vat} is not valid, check the digits.',
  'problem.vat-length': '"{name}": a VAT number has 11 digits, I see {digits}.',
  'problem.vat-not-last': '"{name}": write the VAT number at the end of the line, with nothing after it.',
  'problem.name-missing': 'The company name is missing for the VAT number {vat}.',
  'problem.name-too-long': 'A name is too long (at most {max} characters): "{name}…".',
  'problem.duplicate': '"{name}" appears twice.',
  'problem.too-many': 'I can handle at most {max} companies at a time: you wrote {count}.',
  'problem.too-long': 'The list is too long (at most {max} characters).',
  'problem.empty': 'I did not find any company name.',
  'problem.answer-word': '"{name}" looks like an answer, not a company. If it is its name, add the VAT number.',
  'problem.email': 'An e-mail address is not the name of a company.',
  'problem.more': '… and {count} more.',
  'invoice.multi-warning':
    'Careful: you have more than one company. While you work on them, make sure no other TS ID session is active on the computer. ' +
    'Handle each point of sale on a different computer, or use a private window in your browser.',
  'invoice.company-header': 'Company {n} of {total}: {company}.',
  'invoice.review-data':
    'Before unlinking it, note the company\'s data: you will need it later. You find it under the pencil icon ("Matita") in the column "Azioni".',
  'invoice.confirm-unlink':
    'You are about to deactivate e-invoicing for {company}. Until you re-activate it, this company cannot use it. Do you want to go ahead?',
  'invoice.multi-recall': 'Remember: no other TS ID session may be open on this computer. A private window is fine.',
  'invoice.confirm-title': 'Unlink {company}?',
  'invoice.confirm-text': 'Until you re-activate it, {company} cannot send e-invoices.',
  'invoice.confirm-yes': 'Unlink',
  'invoice.confirm-no': 'Cancel',
  'invoice.skipped': 'OK, I skip {company}: you will find it in the final summary.',
  'invoice.done-skipped': 'Do you want to reactivate a skipped company now? Tap its button.',
  'invoice.unlink':
    'In the column "Azioni" of {company}, click the chain icon ("catena"), which is green now. This removes the link.',
  'invoice.relink': 'Now click the chain icon ("catena") again, still in the column "Azioni".',
  'invoice.relink-data': 'The portal asks for the data of {company}: enter the data you noted before.',
  'invoice.continue':
    'At the end the system recognises you and asks to link the TS Digital data you already have. Select "Continua".',
  'invoice.invite':
    'An invite from TS Digital arrives in the mailbox {mailbox}. Accept it: this re-activates {company}.',
  'invoice.mailbox-known': '{email}',
  'invoice.mailbox-unknown': 'you use for your TS ID',
  'invoice.invite-reminder':
    'Reminder for {company}: has the TS Digital invite arrived in the mailbox {mailbox}? Accept it to confirm the re-activation.',
  'invoice.invite-last-reminder':
    'Has the TS Digital invite for {company} arrived? If it does not come, we can activate the account from the TS Digital portal instead: choose "The e-mail didn\'t arrive".',
  'invoice.portal-fallback':
    'No problem: we activate the account from the TS Digital portal (link below). There select "Accedi" → "Accedi o registrati con TeamSystem ID". ' +
    'If the e-mail of your TS ID is already in TS Digital, the portal asks you to link the TS ID to that account.',
  'invoice.wait-green':
    'After a few minutes the chain icon ("catena") of {company} turns green again, as before. Is it green?',
  'invoice.not-green-yet': 'It can take a few minutes. I will write again in {minutes} to check.',
  'unit.minute': '1 minute',
  'unit.minutes': '{n} minutes',
  'invoice.green-check': 'Let us check again: has the chain of {company} turned green?',
  'invoice.invite-spam': 'Check your spam folder and wait a few minutes: the invite is sometimes late. Has it arrived?',
  'invoice.company-active': 'Great: {company} is active again.',
  'invoice.done':
    'We are done! Here is the summary:\n{summary}\nYou find the "Digital Invoice" service in the section "Le mie app" of Cassa in Cloud.',

  'global.hint': 'Here I need one of these answers: {options}. Tap a button or type it.',
  'global.thanks': 'You are welcome! We go on from here when you like.',
  'global.thanks-done': 'You are welcome! Have a good day.',
  'global.out-of-step': 'That answer was for an earlier step. We are now here: {step}.',
  'global.off-topic': 'I cannot answer that. I can pass you to a colleague: write "agent". Meanwhile, here we are:',
  'global.offer-agent': 'It seems something is not working. Do you want to talk to an agent?',
  'global.status': 'You are at the step: {step}.\nTS ID: {tsid}.\nCompanies:\n{companies}',
  'global.status-no-companies': 'not given yet',
  'global.tsid-done': 'connected',
  'global.tsid-pending': 'to connect',
  'global.restart-confirm': 'Do you want to start the guide over? What you told me so far will be forgotten.',
  'global.language': "OK, let's continue in English.",
  'global.stopped': 'OK, I stop here. When you want to go on, write "resume".',
  'global.erase-confirm':
    'Do you want me to erase the data of this conversation (companies, e-mail, progress)? This cannot be undone.',
  'global.erased': 'Done: I erased your data. If you write again, we start from the beginning.',
  'global.help':
    'I guide you one step at a time. Answer with the buttons or in words. You can always write: "status" (where you are), ' +
    '"agent" (to talk to a person), "restart", "lingua it", "stop" or "erase my data".',
  'handoff.requested': 'I asked a colleague from the helpdesk to help you: they will write to you here shortly.',
  'handoff.accepted': '{agent} from the helpdesk is with you now.',
  'handoff.timeout':
    'No agent is free right now: one will write to you as soon as possible. Meanwhile you can go on with me.',
  'handoff.closed': 'The agent closed the conversation. We resume where we were.',
  'handoff.back': '{agent} handed you back to me. We resume from here.',

  'status.pending': 'to do',
  'status.confirmed': 'confirmed',
  'status.unlinked': 'unlinked',
  'status.relinked': 'linked again',
  'status.invited': 'invite pending',
  'status.waiting-green': 'waiting for the green chain',
  'status.active': 'active',
  'status.skipped': 'skipped',

  'step.tsid.intro': 'introduction',
  'step.tsid.admin': 'administrator role',
  'step.tsid.login': 'sign-in to the Cassa in Cloud portal',
  'step.tsid.open-section': 'section "TeamSystem ID"',
  'step.tsid.connect': '"Connetti Team System ID"',
  'step.tsid.register': 'TS ID registration',
  'step.tsid.sign-in-existing': 'sign-in with the existing TS ID',
  'step.tsid.return': 'back to the portal',
  'step.tsid.verify': 'TS ID check',
  'step.invoice.open-settings': '"Impostazioni Account" → "TS Digital"',
  'step.invoice.companies': 'list of companies',
  'step.invoice.multi-warning': 'warning for several companies',
  'step.invoice.review-data': "the company's registry data",
  'step.invoice.confirm-unlink': 'confirmation before unlinking',
  'step.invoice.unlink': 'unlinking (chain icon "catena")',
  'step.invoice.relink': 'linking again (icon "catena")',
  'step.invoice.continue': '"Continua"',
  'step.invoice.invite': 'TS Digital invite by e-mail',
  'step.invoice.portal-fallback': 'activation on the TS Digital portal',
  'step.invoice.wait-green': 'waiting for the green chain',
  'step.invoice.done': 'final summary',
};
