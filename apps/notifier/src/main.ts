import 'reflect-metadata';
import { runVigilApp } from '@vigil/messaging';
import { notifierApp } from './notifier.app';

runVigilApp(notifierApp);
