/**
 * Italian copy (the customers' language; informal "tu" as in the source article).
 * Portal labels in quotes are the portal's own and stay verbatim in every language.
 * `{name}` placeholders are filled by copy.ts.
 */
export const it = {
  // choices
  'choice.yes': 'Sì',
  'choice.no': 'No',
  'choice.unsure': 'Non lo so',
  'choice.done': 'Fatto',
  'choice.cant-find': 'Non lo trovo',
  'choice.cant-login': 'Non riesco ad accedere',
  'choice.agent': 'Parla con un operatore',
  'choice.admin-here': "Ora c'è un amministratore",
  'choice.register': 'Devo registrarmi',
  'choice.existing': 'Ho già un TS ID',
  'choice.not-back': 'Non sono tornato al portale',
  'choice.new-link': 'Nuovo link',
  'choice.type-email': "Scrivo l'e-mail",
  'choice.email-forgot': 'Non la ricordo',
  'choice.ask-agent': 'Parla con un collega',
  'choice.list-ok': 'Sì, è corretto',
  'choice.list-fix': 'Correggi elenco',
  'choice.understood': 'Ho capito',
  'choice.unlink': 'Sì, scollega {company}',
  'choice.skip': 'No, salta questa azienda',
  'choice.accepted': 'Invito accettato',
  'choice.no-email': "L'e-mail non è arrivata",
  'choice.still-stuck': 'Non funziona',
  'choice.green': 'È verde',
  'choice.not-yet': 'Non ancora',
  'choice.agent-yes': 'Sì, un operatore',
  'choice.agent-no': 'No, proseguo',
  'choice.restart-yes': 'Sì, ricomincia',
  'choice.restart-no': 'No, continua da qui',
  'choice.erase-yes': 'Sì, cancella',
  'choice.erase-no': 'No, tienili',
  'choice.resume': 'Riprendi',
  'choice.reactivate': 'Riattiva {company} adesso',
  'choice.restart': 'Ricomincia',

  // links
  'link.cassa-in-cloud': 'Portale Cassa in Cloud',
  'link.ts-digital': 'Portale TS Digital',
  'link.login': 'Accedi con il TS ID',

  // Part A
  'tsid.intro':
    'Ciao! Per riattivare "Digital Invoice" su Cassa in Cloud serve un TeamSystem ID (TS ID) collegato al portale.\n' +
    'Hai già un TS ID?',
  'tsid.record-lost': 'Mi dispiace, ho perso il punto in cui eravamo arrivati: ripartiamo da capo.',
  'tsid.guide-changed':
    'La guida è stata aggiornata da quando ci siamo sentiti: riprendiamo dal passo più vicino a dove eri.',
  'tsid.admin':
    'Per collegare il TS ID devi accedere al portale di Cassa in Cloud con il ruolo di amministratore. Sei un amministratore del portale?',
  'tsid.not-admin':
    "Senza il ruolo di amministratore non puoi collegare il TS ID. Chiedi all'amministratore del portale di seguire questa guida con te, " +
    'oppure ti passo a un operatore.',
  'tsid.login':
    'Accedi al portale di Cassa in Cloud con le tue credenziali di amministratore. Quando sei dentro, premi "Fatto".',
  'tsid.open-section':
    'Apri la sezione "TeamSystem ID". La trovi nel menu del tuo nome, in alto a destra nella schermata principale.',
  'tsid.open-section-hint':
    'Il tuo nome è nella barra in alto a destra della schermata principale. Quando lo selezioni, si apre un pop-up con la voce "TeamSystem ID". ' +
    "Se la voce non c'è, il tuo utente forse non ha il ruolo di amministratore.",
  'tsid.connect': 'Seleziona "Connetti Team System ID": verrai portato sulla pagina esterna del TS ID.',
  'tsid.connect-unsure':
    'Seleziona "Connetti Team System ID": verrai portato sulla pagina esterna del TS ID. ' +
    'Lì ti registri se non hai mai creato un TS ID, altrimenti entri con il tuo. ' +
    "Se nella tua posta c'è l'e-mail di benvenuto di TeamSystem ID, ce l'hai già. Cosa devi fare?",
  'tsid.unsure-tip':
    'Nessun problema, lo scopriamo tra poco. Per capirlo, cerca "TeamSystem ID" nella tua posta: se trovi la sua e-mail di benvenuto, hai già un TS ID.',
  'tsid.register':
    'Crea il tuo TS ID con la voce "Non hai un TeamSystem ID? Registrati". Alla fine ti verrà chiesto di accedere con il nuovo TS ID.',
  'tsid.sign-in-existing': 'Accedi con il TS ID che usi già: così lo associ alle credenziali di Cassa in Cloud.',
  'tsid.return': "Dopo l'accesso vieni riportato al portale di Cassa in Cloud. Ci sei?",
  'tsid.linked':
    'Perfetto: il tuo TS ID ora è collegato alle credenziali di Cassa in Cloud e ai dati aziendali di "Impostazioni Account". ' +
    "D'ora in poi puoi accedere al portale anche con il TS ID.",
  'tsid.verify-link':
    "Verifichiamo che il TS ID funzioni: accedi con il TS ID dal link qui sotto. Così so anche a quale indirizzo arriverà l'invito di TS Digital. " +
    'Il link è personale e vale 10 minuti.',
  'tsid.verify-email': "Scrivimi l'indirizzo e-mail del tuo TS ID: l'invito di TS Digital arriverà lì.",
  'tsid.verify-email-invalid':
    'Questo non sembra un indirizzo e-mail (esempio: nome@azienda.it). Riscrivilo, per favore.',
  'tsid.verify-code':
    'Ho ricevuto un accesso dal tuo link. Per finire, scrivi qui il codice di 6 cifre che vedi nella pagina del browser.',
  'tsid.verify-code-wrong': 'Il codice non è giusto. Riprova (tentativi rimasti: {left}).',
  'tsid.verify-code-void':
    "Il codice è sbagliato troppe volte: ho annullato quell'accesso. Vuoi un nuovo link, o preferisci scrivermi l'e-mail del tuo TS ID?",
  'tsid.verify-code-expired':
    "Il codice è scaduto: ho annullato quell'accesso. Vuoi un nuovo link, o preferisci scrivermi l'e-mail del tuo TS ID?",
  'tsid.verified': "Bene: il TS ID funziona. Sei entrato come {address}: l'invito di TS Digital arriverà lì.",
  'tsid.verified-no-email':
    "Bene: il TS ID funziona. Sei entrato come {address}, ma questo indirizzo non risulta verificato: non lo userò per l'invito.",
  'tsid.verify-unavailable':
    "Il servizio di accesso TeamSystem ID non risponde in questo momento. Puoi riprovare tra poco con un nuovo link, oppure scrivermi l'e-mail del tuo TS ID e proseguire.",
  'tsid.verify-failed': "L'accesso non è riuscito. Vuoi un nuovo link, o preferisci scrivermi l'e-mail del tuo TS ID?",
  'tsid.email-forgot':
    'La trovi nell\'e-mail di benvenuto di TeamSystem ID: cerca "TeamSystem" nella tua posta. Quando la trovi, scrivimela qui. ' +
    'Se non la trovi, un collega può aiutarti.',
  'tsid.email-typo': 'Hai scritto {email}. Forse intendevi {suggestion}?',
  'choice.email-fix': 'Sì, correggi',
  'choice.email-keep': 'No, è giusto',
  'tsid.email-noted': "Grazie: l'invito di TS Digital arriverà a {email}.",

  // Part B
  'invoice.open-settings':
    'Ora riattiviamo la fatturazione elettronica. Entra in Cassa in Cloud come amministratore, con lo stesso accesso di prima. ' +
    'Se sei già dentro, premi "Fatto".',
  'invoice.settings-page': 'Vai in "Impostazioni Account" → "TS Digital". Lì vedi le tue aziende.',
  'invoice.companies':
    "Scrivimi le aziende che vedi nell'elenco, una per riga o separate da virgola. " +
    'Se vuoi, aggiungi la Partita IVA dopo il nome (esempio: Bar Roma 01234560785).',
  'invoice.companies-problems':
    "C'è qualcosa da sistemare nell'elenco:\n{problems}\nRiscrivi l'elenco completo, per favore.",
  'invoice.companies-readback': 'Ho capito queste aziende:\n{list}\nÈ corretto?',
  'invoice.companies-retype': "Ok, riscrivi l'elenco completo delle aziende, una per riga o separate da virgola.",
  'problem.vat-invalid': '"{name}": la Partita IVA {vat} non è valida, controlla le cifre.',
  'problem.vat-length': '"{name}": la Partita IVA ha 11 cifre, qui ne vedo {digits}.',
  'problem.vat-not-last': '"{name}": scrivi la Partita IVA alla fine della riga, senza altro dopo.',
  'problem.name-missing': "Manca il nome dell'azienda per la Partita IVA {vat}.",
  'problem.name-too-long': 'Un nome è troppo lungo (massimo {max} caratteri): "{name}…".',
  'problem.duplicate': '"{name}" compare due volte.',
  'problem.too-many': 'Posso gestire al massimo {max} aziende per volta: ne hai scritte {count}.',
  'problem.too-long': "L'elenco è troppo lungo (massimo {max} caratteri).",
  'problem.empty': 'Non ho trovato nessun nome di azienda.',
  'problem.answer-word': '"{name}" sembra una risposta, non un\'azienda. Se è il suo nome, aggiungi la Partita IVA.',
  'problem.email': "Un indirizzo e-mail non è il nome di un'azienda.",
  'problem.more': '… e altri {count}.',
  'invoice.multi-warning':
    'Attenzione: hai più aziende. Mentre le gestisci, assicurati che sul computer non ci siano altre sessioni di TS ID attive. ' +
    'Ti consiglio di gestire ogni punto vendita da un computer diverso, oppure di usare la navigazione privata del browser.',
  'invoice.company-header': 'Azienda {n} di {total}: {company}.',
  'invoice.review-data':
    'Prima di scollegarla, annota i dati dell\'azienda: ti serviranno dopo. Li trovi sotto l\'icona "Matita", nella colonna "Azioni".',
  'invoice.confirm-unlink':
    'Stai per disattivare la fatturazione elettronica per {company}. Finché non la riattivi, questa azienda non potrà usarla. Vuoi procedere?',
  'invoice.multi-recall':
    'Ricorda: su questo computer non ci devono essere altre sessioni di TS ID aperte. La navigazione privata va bene.',
  'invoice.confirm-title': 'Scollegare {company}?',
  'invoice.confirm-text': 'Finché non la riattivi, {company} non potrà fare le fatture elettroniche.',
  'invoice.confirm-yes': 'Scollega',
  'invoice.confirm-no': 'Annulla',
  'invoice.skipped': 'Ok, salto {company}: la trovi nel riepilogo finale.',
  'invoice.done-skipped': "Vuoi riattivare adesso un'azienda saltata? Tocca il suo pulsante.",
  'invoice.unlink':
    'Nella colonna "Azioni" di {company}, clicca l\'icona "catena", che ora è verde. Così stacchi il collegamento.',
  'invoice.relink': 'Ora clicca di nuovo l\'icona "catena", sempre nella colonna "Azioni".',
  'invoice.relink-data': 'Il portale ti chiede i dati di {company}: inserisci quelli che hai annotato prima.',
  'invoice.continue':
    'Alla fine il sistema ti riconosce e ti chiede di collegare i dati di TS Digital che hai già. Seleziona "Continua".',
  'invoice.invite': 'Nella casella {mailbox} arriva un invito da TS Digital. Accettalo: così riattivi {company}.',
  'invoice.mailbox-known': '{email}',
  'invoice.mailbox-unknown': 'e-mail che usi per il TS ID',
  'invoice.invite-reminder':
    "Promemoria per {company}: è arrivato l'invito di TS Digital nella casella {mailbox}? Accettalo per confermare la riattivazione.",
  'invoice.invite-last-reminder':
    "È arrivato l'invito di TS Digital per {company}? Se non arriva, possiamo attivare l'utenza direttamente dal portale TS Digital: scegli \"L'e-mail non è arrivata\".",
  'invoice.portal-fallback':
    'Nessun problema: attiviamo l\'utenza dal portale TS Digital (link qui sotto). Lì seleziona "Accedi" → "Accedi o registrati con TeamSystem ID". ' +
    "Se l'e-mail del tuo TS ID è già in TS Digital, il portale ti chiede di collegare il TS ID a quell'account.",
  'invoice.wait-green': 'Dopo qualche minuto l\'icona "catena" di {company} torna verde, come prima. È verde?',
  'invoice.not-green-yet': 'Può volerci qualche minuto. Ti riscrivo tra {minutes} per ricontrollare.',
  'unit.minute': '1 minuto',
  'unit.minutes': '{n} minuti',
  'invoice.green-check': 'Ricontrolliamo: la catena di {company} è tornata verde?',
  'invoice.invite-spam': "Controlla lo spam e aspetta qualche minuto: a volte l'invito tarda. È arrivato?",
  'invoice.company-active': 'Ottimo: {company} è di nuovo attiva.',
  'invoice.done':
    'Abbiamo finito! Ecco il riepilogo:\n{summary}\nTrovi il servizio "Digital Invoice" nella sezione "Le mie app" di Cassa in Cloud.',

  // everywhere
  'global.hint': 'Qui serve una di queste risposte: {options}. Tocca un pulsante o scrivila.',
  'global.thanks': 'Prego! Quando vuoi, continuiamo da qui.',
  'global.thanks-done': 'Prego! Buon lavoro.',
  'global.out-of-step': 'Quella risposta era per un passo di prima. Ora siamo qui: {step}.',
  'global.off-topic':
    'Su questo non so rispondere. Posso passarti a un collega: scrivi "operatore". Intanto siamo qui:',
  'global.offer-agent': 'Sembra che qualcosa non vada. Vuoi parlare con un operatore?',
  'global.status': 'Sei al passo: {step}.\nTS ID: {tsid}.\nAziende:\n{companies}',
  'global.status-no-companies': 'non ancora indicate',
  'global.tsid-done': 'collegato',
  'global.tsid-pending': 'da collegare',
  'global.restart-confirm': 'Vuoi ricominciare la guida da capo? Quello che mi hai detto finora verrà dimenticato.',
  'global.language': 'Va bene, continuiamo in italiano.',
  'global.stopped': 'Va bene, mi fermo qui. Quando vuoi riprendere, scrivimi "riprendi".',
  'global.erase-confirm':
    'Vuoi che cancelli i dati di questa conversazione (aziende, e-mail, avanzamento)? Non si può annullare.',
  'global.erased': 'Fatto: ho cancellato i tuoi dati. Se mi riscrivi, ricominciamo da capo.',
  'global.help':
    'Ti guido un passo alla volta. Rispondi con i pulsanti o scrivendo. Puoi sempre scrivere: "stato" (a che punto sei), ' +
    '"operatore" (per parlare con una persona), "ricomincia", "lingua en", "stop" o "cancella i miei dati".',
  'handoff.requested': "Ho chiesto a un collega dell'assistenza di aiutarti: ti scriverà qui a breve.",
  'handoff.accepted': "{agent} dell'assistenza è con te ora.",
  'handoff.timeout':
    'Al momento nessun operatore è libero: ti scriverà appena possibile. Nel frattempo puoi proseguire con me.',
  'handoff.closed': "L'operatore ha chiuso la conversazione. Riprendiamo da dove eravamo.",
  'handoff.back': '{agent} ti ha riaffidato a me. Riprendiamo da qui.',

  // status labels
  'status.pending': 'da fare',
  'status.confirmed': 'confermata',
  'status.unlinked': 'scollegata',
  'status.relinked': 'ricollegata',
  'status.invited': 'invito in attesa',
  'status.waiting-green': 'in attesa della catena verde',
  'status.active': 'attiva',
  'status.skipped': 'saltata',

  // step titles
  'step.tsid.intro': 'introduzione',
  'step.tsid.admin': 'ruolo di amministratore',
  'step.tsid.login': 'accesso al portale Cassa in Cloud',
  'step.tsid.open-section': 'sezione "TeamSystem ID"',
  'step.tsid.connect': '"Connetti Team System ID"',
  'step.tsid.register': 'registrazione del TS ID',
  'step.tsid.sign-in-existing': 'accesso con il TS ID esistente',
  'step.tsid.return': 'ritorno al portale',
  'step.tsid.verify': 'verifica del TS ID',
  'step.invoice.open-settings': '"Impostazioni Account" → "TS Digital"',
  'step.invoice.companies': 'elenco delle aziende',
  'step.invoice.multi-warning': 'avviso per più aziende',
  'step.invoice.review-data': "dati anagrafici dell'azienda",
  'step.invoice.confirm-unlink': 'conferma prima di scollegare',
  'step.invoice.unlink': 'scollegamento (icona "catena")',
  'step.invoice.relink': 'ricollegamento (icona "catena")',
  'step.invoice.continue': '"Continua"',
  'step.invoice.invite': 'invito di TS Digital per e-mail',
  'step.invoice.portal-fallback': 'attivazione dal portale TS Digital',
  'step.invoice.wait-green': 'attesa della catena verde',
  'step.invoice.done': 'riepilogo finale',
} as const;

export type CopyKey = keyof typeof it;
