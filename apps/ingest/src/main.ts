import 'reflect-metadata';
import { runVigilApp } from '@vigil/messaging';
import { ingestApp } from './ingest.app';

runVigilApp(ingestApp);
