import { Body, Controller, Get, Inject, Logger, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { doubleCsrf, type DoubleCsrfUtilities } from 'csrf-csrf';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { LinkCaller } from '../rate-limit/caller-throttler.guard';
import { LINK_PAGE_CSP, problemPage, renderPage, type Page } from './link-pages';
import { WORDS } from './link-words';
import { LinksService, type Csrf, type FormBody, type LinkPath } from './links.service';

/**
 * The page of a personal link (`/links/<reference>/<nation>/<act>/<token>`), for people, not API
 * clients: HTML, no token but the link's, not in the OpenAPI document; rate-limited per link. The form is protected by a
 * signed double-submit cookie bound to the link (csrf-csrf) on top of SameSite=Strict.
 */
@Public()
@LinkCaller()
@ApiExcludeController()
@Controller('links')
export class LinksController {
  private readonly logger = new Logger(LinksController.name);
  private readonly csrf: DoubleCsrfUtilities;

  constructor(
    private readonly links: LinksService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const secure = config.PUBLIC_URL.startsWith('https://');
    this.csrf = doubleCsrf({
      getSecret: () => config.LINK_SECRET ?? config.JWT_SECRET ?? '',
      // Bound to the link: a form token of one link is worth nothing on another.
      getSessionIdentifier: (req) => req.path,
      cookieName: secure ? '__Host-dipb-link-csrf' : 'dipb-link-csrf',
      cookieOptions: { sameSite: 'strict', secure, httpOnly: true, path: '/' },
      getCsrfTokenFromRequest: (req) => {
        const body = req.body as FormBody | undefined;
        return typeof body?.csrf === 'string' ? body.csrf : null;
      },
    });
  }

  @Get(':reference/:nation/:act/:token')
  async show(
    @Param() path: LinkPath,
    @Query('lang') lang: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.answerWith(res, lang, (language) => this.links.show(path, language, this.csrfOf(req, res)));
  }

  @Post(':reference/:nation/:act/:token')
  async answer(
    @Param() path: LinkPath,
    @Query('lang') lang: unknown,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const form = body && typeof body === 'object' && !Array.isArray(body) ? (body as FormBody) : {};
    await this.answerWith(res, lang, (language) => this.links.answer(path, language, form, this.csrfOf(req, res)));
  }

  private csrfOf(req: Request, res: Response): Csrf {
    return {
      token: () => this.csrf.generateCsrfToken(req, res, { overwrite: true }),
      valid: () => {
        try {
          return this.csrf.validateRequest(req);
        } catch {
          return false;
        }
      },
    };
  }

  /** Sends the page `make` builds in the language asked for (`?lang=`), or a 503 page when it fails. */
  private async answerWith(
    res: Response,
    lang: unknown,
    make: (language: string | undefined) => Promise<Page>,
  ): Promise<void> {
    let page: Page;
    try {
      page = await make(typeof lang === 'string' ? lang : undefined);
    } catch (err) {
      // Never the URL: it holds the token.
      this.logger.error(
        { err: err instanceof Error ? { name: err.name, message: err.message } : String(err) },
        'link page failed',
      );
      const words = WORDS[lang === 'fr' ? 'fr' : 'en'];
      page = {
        ...problemPage(words, 'unavailable', 503, '#main', this.config.SECRETARIAT_EMAIL),
        retryAfterSeconds: 5,
      };
    }
    res.setHeader('Content-Security-Policy', LINK_PAGE_CSP);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Robots-Tag', 'noindex, nofollow');
    res.setHeader('Content-Language', page.words.lang);
    if (page.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(page.retryAfterSeconds));
    res.status(page.status).type('text/html; charset=utf-8').send(renderPage(page));
  }
}
