import 'reflect-metadata';
import { runVigilApp } from '@vigil/messaging';
import { correlatorApp } from './correlator.app';

runVigilApp(correlatorApp);
