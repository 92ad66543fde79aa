import 'reflect-metadata';
import { runVigilApp } from '@vigil/messaging';
import { chatopsApp } from './chatops.app';

runVigilApp(chatopsApp);
