import 'reflect-metadata';
import { runVigilApp } from '@vigil/messaging';
import { signalsApp } from './signals.app';

runVigilApp(signalsApp);
