// Silences and maintenance windows: what is in force, a form for each, and expire buttons. The
// API checks roles and input and says what is wrong; the page shows its words.
import { ActionFeedback } from '../components/ActionFeedback';
import { useDocumentTitle } from '../hooks';
import { MaintenanceForm } from './silences/MaintenanceForm';
import { SilenceTable, WindowTable } from './silences/PolicyTables';
import { SilenceForm } from './silences/SilenceForm';
import { useSilenceLists } from './silences/useSilenceLists';

export function SilencesPage() {
  useDocumentTitle('Silences');
  const { silences, windows, loadError, message, act } = useSilenceLists();
  return (
    <div className="page list-page">
      <div className="page-head">
        <h1>Silences and maintenance</h1>
      </div>
      {loadError && (
        <p className="feedback error" role="alert">
          Could not load: {loadError}
        </p>
      )}
      <SilenceForm act={act} />
      {message?.scope === 'silence' && <ActionFeedback message={message} />}
      <SilenceTable rows={silences} act={act} />
      <MaintenanceForm act={act} />
      {message?.scope === 'maintenance' && <ActionFeedback message={message} />}
      <WindowTable rows={windows} act={act} />
    </div>
  );
}
